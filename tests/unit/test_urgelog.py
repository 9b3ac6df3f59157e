"""The urge log: what is remembered, privately, across restarts."""

from __future__ import annotations

import stat
from pathlib import Path

from blocker.daemon.urgelog import UrgeLog
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
