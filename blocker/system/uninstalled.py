"""The note a completed uninstall leaves beside the block list, so that `blocker status`
can say without a daemon that blocker is uninstalled (rather than "blocking, start the
daemon") and where the list still is. It lies beside the list, not in the state folder:
that folder is emptied by the uninstall and readable by root alone, and status runs as the
person. A daemon that starts again removes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from blocker.system.atomic import write_atomically

VERSION = 1


@dataclass(frozen=True)
class Uninstalled:
    at: str  # when the uninstall completed, local ISO time with its offset
    block_list: str  # the list that stays where it was

    def to_json(self) -> dict[str, Any]:
        return {"version": VERSION, "at": self.at, "block_list": self.block_list}

    @classmethod
    def from_json(cls, value: Any) -> Uninstalled | None:
        """The note, or None for anything not a note of a version this blocker knows."""
        if not isinstance(value, dict) or value.get("version") != VERSION:
            return None
        at, block_list = value.get("at"), value.get("block_list")
        if not isinstance(at, str) or not isinstance(block_list, str):
            return None
        return cls(at, block_list)


def record(marker: Path, block_list: Path, at: datetime) -> None:
    note = Uninstalled(at.isoformat(timespec="seconds"), str(block_list))
    # Readable by everyone, as the block list is: `blocker status` runs as the person.
    write_atomically(marker, json.dumps(note.to_json()).encode() + b"\n", mode=0o644)


def read(marker: Path) -> Uninstalled | None:
    """The note, or None where there is none (or none that can be read: then blocker is
    not known to be uninstalled, and status says what the list plans)."""
    try:
        return Uninstalled.from_json(json.loads(marker.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def clear(marker: Path) -> None:
    marker.unlink(missing_ok=True)
