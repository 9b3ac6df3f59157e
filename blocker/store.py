"""The daemon's state on disk: one JSON file, private (0600), replaced atomically.

It holds what must survive a SIGKILL or a reboot: the trusted-clock checkpoint, the gate
(pending requests with their maturity, the running pause, the pause history), the block
list in force (which may lag the file while a loosening waits) and whether blocking was
stopped by a matured `blocker stop`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from blocker.atomic import write_atomically
from blocker.clock import Checkpoint
from blocker.errors import BlockerError
from blocker.gate import GateState, Mark, Pause, Request

logger = logging.getLogger(__name__)

VERSION = 1


class StateWriteError(BlockerError):
    """The state file could not be written; what it should hold is still in memory."""


@dataclass(frozen=True)
class State:
    checkpoint: Checkpoint
    in_force: str  # the block list text being enforced
    gate: GateState = field(default_factory=GateState)
    stopped: bool = False


def _time(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return moment


def _request_json(request: Request) -> dict[str, Any]:
    return {
        "id": request.id,
        "kind": request.kind,
        "summary": request.summary,
        "asked_at": request.asked_at.isoformat(),
        "matures_at": request.matures_at.isoformat(),
        "length": None if request.length is None else request.length.total_seconds(),
        "payload": request.payload,
    }


def _request(data: dict[str, Any]) -> Request:
    length = data.get("length")
    return Request(
        id=str(data["id"]),
        kind=str(data["kind"]),
        summary=str(data["summary"]),
        asked_at=_time(data["asked_at"]),
        matures_at=_time(data["matures_at"]),
        length=None if length is None else timedelta(seconds=float(length)),
        payload=None if data.get("payload") is None else str(data["payload"]),
    )


def to_json(state: State) -> dict[str, Any]:
    gate = state.gate
    return {
        "version": VERSION,
        "checkpoint": state.checkpoint.to_json(),
        "gate": {
            "pending": [_request_json(r) for r in gate.pending],
            "pause": None
            if gate.pause is None
            else {
                "started_at": gate.pause.started_at.isoformat(),
                "ends_at": gate.pause.ends_at.isoformat(),
            },
            "history": [{"at": m.at.isoformat(), "what": m.what} for m in gate.history],
            "next_id": gate.next_id,
        },
        "in_force": state.in_force,
        "stopped": state.stopped,
    }


def from_json(data: dict[str, Any]) -> State:
    if data.get("version") != VERSION:
        raise ValueError(f"unknown state version {data.get('version')!r}")
    gate = data["gate"]
    pause = gate.get("pause")
    return State(
        checkpoint=Checkpoint.from_json(data["checkpoint"]),
        gate=GateState(
            pending=tuple(_request(r) for r in gate["pending"]),
            pause=None
            if pause is None
            else Pause(_time(pause["started_at"]), _time(pause["ends_at"])),
            history=tuple(Mark(_time(m["at"]), str(m["what"])) for m in gate["history"]),
            next_id=int(gate["next_id"]),
        ),
        in_force=str(data["in_force"]),
        stopped=bool(data.get("stopped", False)),
    )


class StateFile:
    """The state file. Called only from the daemon's loop thread; every call blocks on I/O."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> State | None:
        """The saved state; None when there is none. A damaged file is kept aside and
        logged; starting afresh keeps the block (from the block list) and only forgets
        pending loosenings, so damage can never open the block."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return from_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            aside = self.path.with_name(self.path.name + ".damaged")
            logger.error(
                "the state file %s is damaged (%s); kept it as %s and started afresh",
                self.path,
                error,
                aside,
            )
            self.path.replace(aside)
            return None

    def save(self, state: State) -> None:
        """Write the state; a file system that refuses (full, read-only) is a
        StateWriteError naming the file, and the old file stays whole."""
        text = json.dumps(to_json(state), indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self.path, text.encode("utf-8"), mode=0o600)
        except OSError as error:
            raise StateWriteError(
                f"cannot write blocker's state to {self.path}: {error.strerror or error}"
            ) from None
