"""The trusted clock moves with elapsed time only; wall-clock jumps move nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from blocker.core.clock import Checkpoint, resume
from blocker.system import clocks
from blocker.system.clocks import SystemClocks

WALL = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_the_first_start_trusts_the_wall_clock() -> None:
    assert resume(None, "boot-a", 100.0, WALL) == Checkpoint("boot-a", 100.0, WALL)


def test_a_restart_in_the_same_boot_counts_only_elapsed_time() -> None:
    saved = Checkpoint("boot-a", 100.0, WALL)
    forty_days_later_on_the_wall = WALL + timedelta(days=40)
    resumed = resume(saved, "boot-a", 160.0, forty_days_later_on_the_wall)
    assert resumed.trusted == WALL + timedelta(seconds=60)
    a_year_earlier_on_the_wall = WALL - timedelta(days=365)
    assert resume(saved, "boot-a", 160.0, a_year_earlier_on_the_wall).trusted == resumed.trusted


def test_after_a_reboot_the_off_time_is_credited_from_the_wall_but_never_backwards() -> None:
    saved = Checkpoint("boot-a", 5000.0, WALL)
    assert resume(saved, "boot-b", 30.0, WALL + timedelta(hours=9)).trusted == WALL + timedelta(
        hours=9
    )
    assert resume(saved, "boot-b", 30.0, WALL - timedelta(days=3)).trusted == WALL


def test_a_reboot_where_the_clocks_may_be_faked_credits_no_time_at_all() -> None:
    saved = Checkpoint("boot-a", 5000.0, WALL)
    a_year_on = WALL + timedelta(days=365)
    for boot, elapsed in (("boot-b", 30.0), ("boot-a", 10.0)):  # a new boot; a clock gone back
        resumed = resume(saved, boot, elapsed, a_year_on, believe_a_reboot=False)
        assert resumed == Checkpoint(boot, elapsed, WALL)  # blocker's time goes on from here


def test_the_real_daemon_has_no_doubts_about_its_clocks_here() -> None:
    assert SystemClocks().doubts() == ""


def test_now_follows_the_elapsed_clock_from_the_checkpoint() -> None:
    point = Checkpoint("boot-a", 10.0, WALL)
    assert point.now(70.5) == WALL + timedelta(seconds=60.5)
    assert point.advanced(70.5) == Checkpoint("boot-a", 70.5, WALL + timedelta(seconds=60.5))


def test_a_checkpoint_survives_its_json_form() -> None:
    point = Checkpoint("boot-a", 10.25, WALL)
    assert Checkpoint.from_json(point.to_json()) == point


def test_the_system_elapsed_clock_moves_forward_and_the_boot_has_an_identity() -> None:
    clocks = SystemClocks()
    first = clocks.elapsed()
    assert clocks.elapsed() >= first > 0
    assert clocks.boot_id() == clocks.boot_id() != ""


def test_the_system_wall_clock_is_aware_utc_now() -> None:
    before = datetime.now(UTC)
    wall = SystemClocks().wall()
    assert wall.tzinfo is UTC
    assert before <= wall <= datetime.now(UTC)


def test_without_proc_uptime_the_elapsed_clock_is_the_kernels_boot_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clocks, "_UPTIME", tmp_path / "no-such-file")
    assert abs(SystemClocks().elapsed() - time.clock_gettime(time.CLOCK_BOOTTIME)) < 1.0
