"""The cooldown keeps its word, against a real daemon driven by the real CLI: a cancel
survives an add, a reload, a restart and a new boot; whatever is blocked now is gated;
outside the daily hours every loosening still waits; an add is not a tamper."""

from __future__ import annotations

import csv
import json
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, require_namespaces, sandbox_daemon, wait_for

SITE = "alexphotos.example.org"
NEW = "new.example.org"


def block_list(extra: str = "") -> str:
    return (
        "period:\n  start: 2026-01-01\n  days: 3000\n"
        f"{extra}"
        f"sites:\n  - alexblog.example.com  # the blog\n  - {SITE}\n"
        "pause:\n  cooldown: 2s\n  max_length: 1m\n"
    )


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path / "sandbox", block_list()) as running:
        yield running


def ok(daemon: SandboxDaemon, *args: str) -> str:
    result = daemon.cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_cancelled_removal_never_applies_after_an_add_a_reload_a_restart_or_a_new_boot(
    daemon: SandboxDaemon, tmp_path: Path
) -> None:
    require_namespaces()
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    listed = daemon.folder / "blocklist.yaml"
    before = listed.read_text()
    ok(daemon, "remove", "--site", SITE)
    assert "Cancelled" in ok(daemon, "cancel")
    assert listed.read_text() == before  # written back where it was, comment and all
    ok(daemon, "add", "--site", NEW)
    ok(daemon, "reload")
    daemon.kill()
    daemon.start()  # a restart
    daemon.kill()
    boot_id = tmp_path / "boot_id"
    boot_id.write_text(f"{uuid.uuid4()}\n")
    daemon.start(mounts=[(boot_id, "/proc/sys/kernel/random/boot_id")])  # a new boot
    state = json.loads((daemon.folder / "state" / "state.json").read_text())
    assert state["state"]["checkpoint"]["boot_id"] == boot_id.read_text().strip()
    time.sleep(3)  # past the 2 s cooldown a re-queued removal would have
    assert {SITE, NEW} <= daemon.blocked()
    assert daemon.status()["pause"]["pending"] == []


def test_a_name_added_while_an_edit_waits_comes_off_only_after_its_own_cooldown(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    ok(daemon, "remove", "--site", SITE)
    ok(daemon, "add", "--site", NEW)
    wait_for(lambda: NEW in daemon.blocked(), timeout=5, what="the add")
    time.sleep(2.2)  # past the window in which an addition comes off at once (fresh.py)
    asked = time.monotonic()
    assert "after the cooldown" in ok(daemon, "remove", "--site", NEW)
    time.sleep(1)
    assert NEW in daemon.blocked()
    wait_for(lambda: NEW not in daemon.blocked(), timeout=10, what="the removal maturing")
    assert time.monotonic() - asked >= 1.9


def test_outside_the_daily_hours_loosening_waits_and_a_pause_is_refused(tmp_path: Path) -> None:
    later = datetime.now() + timedelta(hours=3)  # hours that start later today or tomorrow
    window = f"  windows:\n    - from: '{later:%H}:00'\n      to: '{later:%H}:30'\n"
    daemon = SandboxDaemon(tmp_path / "sandbox", block_list(window))
    try:
        daemon.start()
        assert not daemon.blocked()
        assert "after the cooldown" in ok(daemon, "remove", "--site", SITE)
        ok(daemon, "stop")
        pending = daemon.status()["pause"]["pending"]
        assert sorted(r["kind"] for r in pending) == ["config", "stop"]
        assert daemon.cli("pause").returncode != 0
        assert daemon.status()["stopped"] is False  # not at once
        wait_for(lambda: daemon.status()["stopped"], timeout=10, what="the stop maturing")
    finally:
        daemon.kill()


def test_adding_is_not_a_tamper_and_a_removed_section_is(daemon: SandboxDaemon) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    for name in ("one.example.org", "two.example.org", "three.example.org"):
        ok(daemon, "add", "--site", name)
    wait_for(lambda: "three.example.org" in daemon.blocked(), timeout=5, what="the adds")
    table = daemon.folder / "log.csv"

    def repairs() -> int:
        ok(daemon, "stats", "--export", str(table))
        with table.open() as rows:
            return sum(1 for row in csv.DictReader(rows) if row["kind"] == "repaired")

    assert repairs() == 0
    (daemon.folder / "hosts").write_text("127.0.0.1 localhost\n")
    wait_for(lambda: SITE in daemon.blocked(), timeout=5, what="the repair")
    wait_for(lambda: repairs() == 1, timeout=5, what="the repair logged")


def test_each_answer_says_when_with_a_countdown_and_which_request_to_cancel(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    wait_for(lambda: SITE in daemon.blocked(), timeout=10, what="the block")
    removed = ok(daemon, "remove", "--site", SITE)
    [waiting] = daemon.status()["pause"]["pending"]
    assert f"`blocker --sandbox {daemon.folder} cancel {waiting['id']}`" in removed
    assert "(in " in removed
    paused = ok(daemon, "pause", "1m")  # a pause lasts at least a minute
    pause_id = next(r["id"] for r in daemon.status()["pause"]["pending"] if r["kind"] == "pause")
    assert f"cancel {pause_id}`" in paused
    assert "ends at" in paused
    assert "T" not in paused.split("starts", 1)[1].split(",", 1)[0]  # a clock, not ISO
