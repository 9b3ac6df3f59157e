"""Changing the computer's time zone (`sudo timedatectl set-timezone`, then a restart of
the daemon) moves the daily hours only after the cooldown, through a real daemon process
whose zone is the TZ it starts with."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.helpers import SandboxDaemon, sandbox_daemon, wait_for

HOME, AWAY = "Europe/Berlin", "Pacific/Kiritimati"  # 13 hours apart all year


def _evening_list() -> str:
    """Daily hours that hold now in Berlin and cannot hold in Kiritimati 13 hours on."""
    now = datetime.now(ZoneInfo(HOME))
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    return (
        f"period:\n  start: {(now - timedelta(days=3)):%Y-%m-%d}\n  days: 60\n"
        f'  windows:\n    - days: every day\n      from: "{start:%H:%M}"\n      to: "{end:%H:%M}"\n'
        "sites:\n  - alexblog.example.com\n"
        "pause:\n  cooldown: 4s\n"
    )


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path, _evening_list()) as running:
        yield running


def test_a_time_zone_where_the_hours_are_over_waits_the_cooldown_to_unblock(
    daemon: SandboxDaemon,
) -> None:
    daemon.start(env={"TZ": HOME})
    wait_for(lambda: "alexblog.example.com" in daemon.blocked(), timeout=10, what="the block")
    daemon.kill()  # as `sudo kill -9` after `sudo timedatectl set-timezone Pacific/Kiritimati`
    moved_at = time.monotonic()
    daemon.start(env={"TZ": AWAY})
    assert "alexblog.example.com" in daemon.blocked()  # the old zone's hours still count
    wait_for(lambda: not daemon.blocked(), timeout=20, what="the new zone followed")
    assert time.monotonic() - moved_at >= 4  # not before the cooldown was served
    assert daemon.status()["truth"]["mode"] == "outside_hours"
