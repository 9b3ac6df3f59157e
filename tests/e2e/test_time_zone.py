"""Changing the computer's time zone (`sudo timedatectl set-timezone`, another zone's file
copied over /etc/localtime, a `TZ=` the service is given), then restarting the daemon,
moves the daily hours only after the cooldown. A real daemon process, whose zone is the
TZ it starts with."""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.helpers import SandboxDaemon, wait_for

BERLIN, KIRITIMATI = "Europe/Berlin", "Pacific/Kiritimati"  # 13 hours apart all year


def _hours_now_in(zone: str) -> str:
    """Daily hours that hold now in `zone` and cannot 10 to 14 hours away from it."""
    now = datetime.now(ZoneInfo(zone))
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    return (
        f"period:\n  start: {(now - timedelta(days=3)):%Y-%m-%d}\n  days: 60\n"
        f'  windows:\n    - days: every day\n      from: "{start:%H:%M}"\n      to: "{end:%H:%M}"\n'
        "sites:\n  - alexblog.example.com\n"
        "pause:\n  cooldown: 4s\n"
    )


def _unnamed_copy_of(zone: str, folder: Path) -> str:
    """`TZ=:FILE`: a zone with no name blocker could load again."""
    copy = folder / "Mine"
    shutil.copyfile(Path("/usr/share/zoneinfo") / zone, copy)
    return f":{copy}"


@pytest.mark.parametrize(
    ("home", "away"),
    [(BERLIN, KIRITIMATI), (KIRITIMATI, "Bogus/Zone"), (BERLIN, "unnamed Kiritimati")],
    ids=["another zone", "a zone that does not exist (UTC)", "a zone file with no name"],
)
def test_a_time_zone_where_the_hours_are_over_waits_the_cooldown_to_unblock(
    tmp_path: Path, home: str, away: str
) -> None:
    if away == "unnamed Kiritimati":
        away = _unnamed_copy_of(KIRITIMATI, tmp_path)
    daemon = SandboxDaemon(tmp_path / "sandbox", _hours_now_in(home))
    daemon.start(env={"TZ": home})
    try:
        wait_for(lambda: "alexblog.example.com" in daemon.blocked(), 10, "the block")
        daemon.kill()  # as `sudo kill -9` after the zone was changed
        moved_at = time.monotonic()
        daemon.start(env={"TZ": away})
        assert "alexblog.example.com" in daemon.blocked()  # the old zone's hours still count
        wait_for(lambda: not daemon.blocked(), 20, "the new zone followed")
        assert time.monotonic() - moved_at >= 4  # not before the cooldown was served
        assert daemon.status()["truth"]["mode"] == "outside_hours"
        daemon.kill()
        daemon.start(env={"TZ": home})  # and back: a daemon that starts, blocking again
        wait_for(lambda: "alexblog.example.com" in daemon.blocked(), 10, "the block back")
    finally:
        daemon.kill()


def test_a_second_zone_change_within_the_cooldown_does_not_drop_the_first_zone(
    tmp_path: Path,
) -> None:
    """The period ends in two hours by UTC and is over already three and five hours east:
    moving east twice must not end it before the first change's cooldown is served."""
    end = datetime.now(ZoneInfo("UTC")) + timedelta(hours=2)
    daemon = SandboxDaemon(
        tmp_path / "sandbox",
        f'period:\n  start: 2026-01-01\n  until: "{end:%Y-%m-%d %H:%M}"\n'
        "sites:\n  - alexblog.example.com\npause:\n  cooldown: 8s\n",
    )
    daemon.start(env={"TZ": "UTC"})
    try:
        wait_for(lambda: "alexblog.example.com" in daemon.blocked(), 10, "the block")
        daemon.kill()
        moved_at = time.monotonic()
        daemon.start(env={"TZ": "Etc/GMT-3"})  # UTC+3: the period is over there
        assert "alexblog.example.com" in daemon.blocked()
        daemon.kill()
        daemon.start(env={"TZ": "Etc/GMT-5"})  # and again, within the cooldown
        assert "alexblog.example.com" in daemon.blocked()  # UTC still counts
        wait_for(lambda: not daemon.blocked(), 30, "the new zone followed")
        assert time.monotonic() - moved_at >= 8
    finally:
        daemon.kill()
