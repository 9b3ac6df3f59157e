"""The daemon's state on disk: one JSON file, private (0600), replaced atomically, sealed
with a key of its own beside it (statecodec.py has the schema and the seal).

It holds what must survive a SIGKILL or a reboot: the trusted-clock checkpoint, the gate
(pending requests with their maturity, the running pause, the pause counts), the block
list in force (which may lag the file while a loosening waits), whether blocking was
stopped by a matured `blocker stop`, and what is held after a loss of this very file.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from blocker.atomic import write_atomically
from blocker.errors import BlockerError
from blocker.statecodec import State, decode, encode

logger = logging.getLogger(__name__)

__all__ = ["Loaded", "State", "StateFile", "StateWriteError"]

KEY_BYTES = 32


def _machine_id() -> str:
    try:
        return Path("/etc/machine-id").read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return "a machine without an id"


class StateWriteError(BlockerError):
    """The state file could not be written; what it should hold is still in memory."""


@dataclass(frozen=True)
class Loaded:
    state: State | None  # None: there is none to go on
    lost: str | None  # why the file cannot be fully believed; None when it can, or never was


class StateFile:
    """The state file. Called only from the daemon's loop thread; every call blocks on I/O."""

    def __init__(self, path: Path, zone: tzinfo) -> None:
        self.path, self.zone = path, zone
        self.key_path = path.with_name(path.name + ".key")
        self.place = f"{path.absolute()} on {_machine_id()}"

    def _key(self) -> bytes | None:
        try:
            key = self.key_path.read_bytes()
        except OSError:
            return None
        return key if len(key) == KEY_BYTES else None

    def load(self) -> Loaded:
        """The saved state, and whether it can be believed. A damaged file is kept aside
        and logged; the engine then goes by what the machine enforces (witness.py), so
        damage, deletion or a hand edit can never open the block."""
        key = self._key()
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if key is None:
                return Loaded(None, None)  # never written: the first start
            return Loaded(None, f"the state file {self.path} is missing")
        except (OSError, ValueError) as error:
            return self._damaged(f"it cannot be read ({error})")
        try:
            decoded = decode(json.loads(text), key, self.place, self.zone)
        except ValueError as error:  # StateDamaged, or JSON that does not parse
            return self._damaged(str(error))
        if not decoded.sealed:
            return Loaded(decoded.state, f"the state file {self.path} is from an older blocker")
        return Loaded(decoded.state, None)

    def _damaged(self, why: str) -> Loaded:
        aside = self.path.with_name(self.path.name + ".damaged")
        logger.error("the state file %s is damaged: %s; kept it as %s", self.path, why, aside)
        try:
            self.path.replace(aside)
        except OSError as error:
            logger.error("could not keep %s aside: %s", self.path, error)
        return Loaded(None, f"the state file {self.path} was damaged: {why}")

    def save(self, state: State) -> None:
        """Write the state; a file system that refuses (full, read-only) is a
        StateWriteError naming the file, and the old file stays whole."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = self._key()
            if key is None:
                key = os.urandom(KEY_BYTES)
                write_atomically(self.key_path, key, mode=0o600)
            text = json.dumps(encode(state, key, self.place), indent=1, sort_keys=True)
            write_atomically(self.path, text.encode("utf-8"), mode=0o600)
        except OSError as error:
            raise StateWriteError(
                f"cannot write blocker's state to {self.path}: {error.strerror or error}"
            ) from None

    def remove(self) -> None:
        for path in (self.path, self.key_path):
            path.unlink(missing_ok=True)
