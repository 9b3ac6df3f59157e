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
from dataclasses import dataclass, replace
from datetime import tzinfo
from pathlib import Path

from blocker.errors import BlockerError
from blocker.ipc.statecodec import State, decode, encode
from blocker.system.atomic import write_atomically

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
        self.copy_path = path.with_name(path.name + ".copy")
        self.place = f"{path.absolute()} on {_machine_id()}"
        self._copied: dict[str, object] | None = None  # what the copy holds, once written

    def _key(self) -> bytes | None:
        try:
            key = self.key_path.read_bytes()
        except OSError:
            return None
        return key if len(key) == KEY_BYTES else None

    def load(self) -> Loaded:
        """The saved state, and whether it can be believed. A missing or damaged file
        (kept aside and logged) is replaced by its sealed copy where that reads; failing
        both, the engine goes by what the machine enforces (witness.py), so damage,
        deletion or a hand edit can never open the block."""
        key = self._key()
        loaded = self._load(self.path, key)
        if loaded.state is not None or loaded.lost is None:
            return loaded
        copy = self._load(self.copy_path, key)
        if copy.state is not None and copy.lost is None:
            logger.error("%s; went on from its copy %s", loaded.lost, self.copy_path)
            # Nothing stays fresh from a copy: it need not be the state last written.
            return Loaded(replace(copy.state, fresh=()), None)
        return loaded

    def _load(self, path: Path, key: bytes | None) -> Loaded:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if key is None:
                return Loaded(None, None)  # never written: the first start
            return Loaded(None, f"the state file {path} is missing")
        except (OSError, ValueError) as error:
            return self._damaged(path, f"it cannot be read ({error})")
        try:
            decoded = decode(json.loads(text), key, self.place, self.zone)
        except ValueError as error:  # StateDamaged, or JSON that does not parse
            return self._damaged(path, str(error))
        if not decoded.sealed:
            return Loaded(decoded.state, f"the state file {path} is from an older blocker")
        return Loaded(decoded.state, None)

    def _damaged(self, path: Path, why: str) -> Loaded:
        aside = path.with_name(path.name + ".damaged")
        logger.error("the state file %s is damaged: %s; kept it as %s", path, why, aside)
        try:
            path.replace(aside)
        except OSError as error:
            logger.error("could not keep %s aside: %s", path, error)
        return Loaded(None, f"the state file {path} was damaged: {why}")

    def save(self, state: State) -> None:
        """Write the state; a file system that refuses (full, read-only) is a
        StateWriteError naming the file, and the old file stays whole."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = self._key()
            if key is None:
                key = os.urandom(KEY_BYTES)
                write_atomically(self.key_path, key, mode=0o600)
            data = encode(state, key, self.place)
            write_atomically(self.path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)
            # A copy, so that deleting one file loses nothing. Rewritten only when more
            # than the clock's checkpoint changed: an older checkpoint is still exact, and
            # going on from it only makes waiting requests wait longer (recovery.py).
            content = {k: v for k, v in data["state"].items() if k != "checkpoint"}
            if content != self._copied:
                write_atomically(self.copy_path, json.dumps(data, indent=1).encode(), mode=0o600)
                self._copied = content
        except OSError as error:
            raise StateWriteError(
                f"cannot write blocker's state to {self.path}: {error.strerror or error}"
            ) from None

    def remove(self) -> None:
        for path in (self.path, self.copy_path, self.key_path):
            path.unlink(missing_ok=True)
