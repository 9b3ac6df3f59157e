"""The urge log: every blocked attempt the watchers saw, every pause asked for, cancelled
and used, every repair, every edit taken in and every one rejected, with its time. A
small SQLite file in the state folder, private (0600), written by the daemon only;
SQLite's journal keeps it whole when the daemon is killed in the middle of a write.
Without a daemon, `read_only` lets `blocker stats` read it (as root, or in a sandbox of
the person's own) without changing a byte of it."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from blocker.core.stats import Entry
from blocker.errors import BlockerError
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName

# The daemon events that are worth remembering, as they are named in the log.
LOGGED = {
    EventName.URGE: "urge",
    EventName.COOLDOWN_STARTED: "asked",
    EventName.REQUEST_CANCELLED: "cancelled",
    EventName.PAUSE_STARTED: "used",
    EventName.TAMPER_REPAIRED: "repaired",
    EventName.CONFIG_REJECTED: "rejected",
    # Logged so that a rejection an editor's two-step save left for a moment can be told
    # from a real one (core.stats.worth_showing).
    EventName.CONFIG_APPLIED: "applied",
    EventName.BROWSER_CLOSED: "closed",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,        -- ISO 8601 with offset, in blocker's trusted time
    kind TEXT NOT NULL,      -- urge, asked, cancelled, used, repaired, applied, rejected, closed
    target TEXT NOT NULL,    -- the browser, the request or the file it is about
    detail TEXT NOT NULL     -- the rest of the event, as JSON
)
"""


class UrgeLog:
    """One SQLite file. Called from the daemon's loop thread (or a reader); blocks on I/O."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private from birth
        self.db = sqlite3.connect(path, isolation_level=None)  # each insert commits
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def remove(self) -> None:
        """Close the log and delete it with SQLite's files beside it (after uninstalling)."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def record_event(self, event: Event) -> bool:
        """Log a daemon event if it is one worth remembering."""
        kind = LOGGED.get(event.name)
        if kind in ("asked", "cancelled") and event.get("kind") != "pause":
            kind = f"{kind} {event.get('kind', 'request')}"  # a stop or an edit, not a pause
        if kind is None:
            return False
        target = str(event.get("browser") or event.get("request") or event.get("file") or "")
        self.record(event.at, kind, target, {"message": event.message, **event.details})
        return True

    def record(self, at: str, kind: str, target: str, detail: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO events (at, kind, target, detail) VALUES (?, ?, ?, ?)",
            (at, kind, target, json.dumps(detail, sort_keys=True)),
        )

    def clear(self) -> None:
        """Forget everything (`blocker forget`, once its cooldown is over)."""
        self.db.execute("DELETE FROM events")
        self.db.execute("VACUUM")  # so the forgotten rows leave the file, not just the index

    def entries(self, since: datetime | None = None) -> list[Entry]:
        found = _entries(self.db)
        return [e for e in found if since is None or e.at >= since]


def _entries(db: sqlite3.Connection) -> list[Entry]:
    rows = db.execute("SELECT at, kind, target, detail FROM events ORDER BY id")
    return [
        Entry(datetime.fromisoformat(at), kind, target, json.loads(detail))
        for at, kind, target, detail in rows
    ]


def read_only(path: Path) -> list[Entry]:
    """The log's entries as they are on disk, for when no daemon runs; blocks on I/O.
    PermissionError where this user may not read it (the daemon's log is root's). No log
    yet, or one the daemon created but never wrote a table in, is an empty log."""
    try:
        with path.open("rb"):  # the person's own right to read it, before SQLite's
            pass
    except FileNotFoundError:
        return []
    # mode=ro: never create the file, never write it. A daemon killed mid-run leaves its
    # last rows in the -wal file beside the log, which a reader must use, and SQLite would
    # then write its -shm index beside the log: the log and its -wal are read from a
    # private copy instead. With no -wal, everything is in the file, and `immutable`
    # reads it in place without creating anything. No daemon writes meanwhile: none
    # answered.
    wal = path.with_name(path.name + "-wal")
    if not wal.exists():
        return _read(f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1", path)
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="blocker-log-") as folder:  # mode 0700
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(wal.name))
        return _read(f"file:{quote(str(copy))}", path)


def _read(uri: str, path: Path) -> list[Entry]:
    """The entries of the log at `uri`; `path` names it in an error."""
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            tables = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchall()
            return _entries(db) if tables else []
        finally:
            db.close()
    except sqlite3.Error as error:
        raise BlockerError(f"cannot read the urge log {path}: {error}") from None
