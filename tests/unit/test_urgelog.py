"""The urge log: what is remembered, privately, across restarts."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from blocker.daemon.urgelog import UrgeLog, read_only
from blocker.errors import BlockerError
from blocker.ipc.events import Event


def read_event(line: dict[str, str]) -> Event:
    """An event as the daemon's line carries it."""
    event = Event.from_json(line)
    assert event is not None
    return event


def test_urges_and_pauses_are_remembered_across_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state" / "urges.sqlite"
    log = UrgeLog(path)
    assert log.record_event(
        read_event(
            {
                "event": "urge",
                "at": "2026-11-27T21:03:00+01:00",
                "browser": "Chromium",
                "title": "Alex (@alex.example)",
                "layer": "title",
            }
        )
    )
    assert log.record_event(
        read_event(
            {
                "event": "cooldown_started",
                "at": "2026-11-27T21:04:00+01:00",
                "request": "r1",
                "message": "a pause was asked for",
                "kind": "pause",
            }
        )
    )
    assert not log.record_event(
        read_event({"event": "policies_changed", "at": "2026-11-27T21:05:00+01:00"})
    )
    log.close()
    again = UrgeLog(path)
    entries = again.entries()
    assert [(e.kind, e.target) for e in entries] == [("urge", "Chromium"), ("asked", "r1")]
    assert entries[0].detail["title"] == "Alex (@alex.example)"
    assert entries[0].at.hour == 21
    again.close()


def test_the_log_is_private(tmp_path: Path) -> None:
    log = UrgeLog(tmp_path / "urges.sqlite")
    log.close()
    assert stat.S_IMODE((tmp_path / "urges.sqlite").stat().st_mode) == 0o600


def test_a_stop_asked_for_is_not_counted_as_a_pause(tmp_path: Path) -> None:
    log = UrgeLog(tmp_path / "urges.sqlite")
    log.record_event(
        read_event(
            {
                "event": "cooldown_started",
                "at": "2026-11-27T21:04:00+01:00",
                "request": "r2",
                "kind": "stop",
            }
        )
    )
    assert [e.kind for e in log.entries()] == ["asked stop"]
    log.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_log_read_without_a_daemon_has_its_rows_and_not_a_byte_changed(
    tmp_path: Path,
) -> None:
    log = UrgeLog(tmp_path / "urges.sqlite")
    log.record("2026-11-27T21:03:00+01:00", "urge", "Chromium", {"layer": "title"})
    log.close()
    before = files_of(tmp_path)
    (entry,) = read_only(tmp_path / "urges.sqlite")
    assert (entry.kind, entry.target, entry.detail) == ("urge", "Chromium", {"layer": "title"})
    assert files_of(tmp_path) == before  # nothing written, nothing created beside it


def test_rows_a_killed_daemon_left_in_the_journal_are_read_and_the_file_stays_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "urges.sqlite"
    writer = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from pathlib import Path
from blocker.daemon.urgelog import UrgeLog
log = UrgeLog(Path({str(path)!r}))
for n in range(3):
    log.record("2026-11-27T21:03:00+01:00", "urge", "Chromium", {{"n": n}})
os._exit(0)  # as SIGKILL would: no close, the rows are in urges.sqlite-wal
"""
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=60)
    assert (tmp_path / "urges.sqlite-wal").stat().st_size > 0
    before = files_of(tmp_path)  # the log, its journal and SQLite's index beside them
    assert [e.detail["n"] for e in read_only(path)] == [0, 1, 2]
    assert files_of(tmp_path) == before  # each byte for byte, none created or removed


def test_no_log_yet_is_an_empty_one_and_reading_it_creates_nothing(tmp_path: Path) -> None:
    assert read_only(tmp_path / "urges.sqlite") == []
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "urges.sqlite").touch()  # created by a daemon that wrote no table yet
    assert read_only(tmp_path / "urges.sqlite") == []


def test_a_log_that_is_no_database_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "urges.sqlite").write_bytes(b"not a database" * 500)
    with pytest.raises(BlockerError, match=r"cannot read the urge log .*urges\.sqlite"):
        read_only(tmp_path / "urges.sqlite")


def test_an_edit_taken_in_is_logged_so_a_passing_rejection_can_be_told_apart(
    tmp_path: Path,
) -> None:
    log = UrgeLog(tmp_path / "urges.sqlite")
    assert log.record_event(
        read_event({"event": "config_applied", "at": "2026-11-27T21:04:00+01:00"})
    )
    assert [e.kind for e in log.entries()] == ["applied"]
    log.close()
