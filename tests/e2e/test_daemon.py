"""The daemon as a real process, driven through the real CLI: the pause and its cooldown
survive SIGKILL (time the daemon was down serves none of it), and a moved system clock
(libfaketime) moves nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, wait_for

QUICK_PAUSES = "pause:\n  cooldown: 3s\n  max_length: 2s\n  per_day: 5\n"


def block_list(until: str = "days: 3000", pause: str = QUICK_PAUSES) -> str:
    return f"period:\n  start: 2026-01-01\n  {until}\nsites:\n  - alexblog.example.com\n{pause}"


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    running = SandboxDaemon(tmp_path, block_list())
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def test_a_pause_waits_out_its_cooldown_across_sigkill_and_the_block_returns_by_itself(
    daemon: SandboxDaemon,
) -> None:
    # A cooldown the daemon's restart fits in with room to spare on a busy machine.
    (daemon.folder / "blocklist.yaml").write_text(
        block_list(pause="pause:\n  cooldown: 8s\n  max_length: 2s\n  per_day: 5\n")
    )
    daemon.start()
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
    asked_at = time.time()
    asked = daemon.cli("pause")
    assert asked.returncode == 0, asked.stderr
    assert "unless you cancel" in daemon.cli("status").stdout
    before = daemon.status()["pause"]
    assert before["state"] == "cooldown"
    time.sleep(1.5)
    daemon.kill()
    assert daemon.blocked(), "a killed daemon leaves the block"
    daemon.start()
    after = daemon.status()["pause"]
    assert after["state"] == "cooldown"
    # Not skipped, and later only by the time since the last checkpoint (the ask's):
    # time the daemon did not see pass serves no cooldown. The times are whole seconds,
    # so the 1.5 s or more it was down can read as one.
    moved = _moved(before["starts_at"], after["starts_at"])
    assert 1 <= moved <= time.time() - asked_at + 1
    starts = datetime.fromisoformat(after["starts_at"]).timestamp()
    wait_for(lambda: not daemon.blocked(), timeout=15, what="the pause")
    assert abs(time.time() - starts) < 1.2
    assert daemon.status()["pause"]["state"] == "active"
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block coming back")
    assert abs(time.time() - (starts + 2)) < 1.2
    assert "the block stays as it is" in daemon.stop()


def _moved(before: str, after: str) -> float:
    """How many seconds later `after` is than `before` (ISO instants)."""
    return (datetime.fromisoformat(after) - datetime.fromisoformat(before)).total_seconds()


def test_cancel_is_the_easy_way_back_and_the_pause_never_starts(daemon: SandboxDaemon) -> None:
    daemon.start()
    assert daemon.cli("pause").returncode == 0
    cancelled = daemon.cli("cancel")
    assert cancelled.returncode == 0
    assert "The block stays on" in cancelled.stdout
    time.sleep(3.5)
    assert daemon.blocked()
    assert daemon.status()["week"] == {"asked": 1, "cancelled": 1, "started": 0}
    stats = json.loads(daemon.cli("stats", "--json").stdout)
    assert stats["pauses"] == {"asked": 1, "cancelled": 1, "used": 0}
    assert "Pauses: asked for 1, cancelled 1, used 0." in daemon.cli("stats").stdout
    picture, table = daemon.folder / "progress.png", daemon.folder / "log.csv"
    assert daemon.cli("stats", "--png", str(picture), "--export", str(table)).returncode == 0
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert table.read_text().splitlines()[0].startswith("at,kind,target,")
    assert ",asked," in table.read_text()
    assert daemon.cli("forget").returncode == 0  # the block is on: after the 3 s cooldown
    assert json.loads(daemon.cli("stats", "--json").stdout)["pauses"]["asked"] == 1
    wait_for(
        lambda: json.loads(daemon.cli("stats", "--json").stdout)["pauses"]["asked"] == 0,
        timeout=10,
        what="the urge log forgotten",
    )


def _libfaketime() -> str:
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketimeMT.so.1"))
    if not found:
        pytest.skip("libfaketime is not installed (scripts/test installs Debian's faketime)")
    return str(found[0])


def test_moving_the_system_clock_forty_days_either_way_keeps_block_and_cooldown(
    tmp_path: Path,
) -> None:
    offset = tmp_path / "faketime-offset"
    offset.write_text("+0\n")
    tomorrow = datetime.now() + timedelta(days=1)
    daemon = SandboxDaemon(
        tmp_path / "sandbox",
        block_list(until=f"until: {tomorrow:%Y-%m-%d %H:%M}", pause="pause:\n  cooldown: 1h\n"),
    )
    try:
        daemon.start(
            env={
                "LD_PRELOAD": _libfaketime(),
                "FAKETIME_TIMESTAMP_FILE": str(offset),
                "FAKETIME_NO_CACHE": "1",
                "DONT_FAKE_MONOTONIC": "1",
            }
        )
        wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
        assert daemon.cli("pause").returncode == 0
        for jump in ("+40d", "-40d"):
            offset.write_text(f"{jump}\n")
            daemon.cli("reload")  # makes the daemon step now rather than within 5 s
            time.sleep(1.0)
            status = daemon.status()
            assert daemon.blocked(), jump
            assert status["blocking"] is True
            assert status["pause"]["state"] == "cooldown"
            trusted = datetime.fromisoformat(status["now"]).timestamp()
            assert abs(trusted - time.time()) < 5, "the daemon's time followed the wall clock"
            wall = datetime.fromisoformat(status["wall_clock"]).timestamp()
            assert abs(wall - time.time() - int(jump[:-1]) * 86400) < 5, "faketime did not act"
    finally:
        daemon.kill()


def test_subscribers_hear_each_event_as_it_happens(daemon: SandboxDaemon) -> None:
    from blocker.ipc import client

    daemon.start()
    stream = client.subscribe(daemon.folder / "control.sock")
    first = next(stream)
    assert first["ok"] is True
    assert first["status"]["blocking"] is True
    assert daemon.cli("pause").returncode == 0
    event = next(stream)
    assert event["event"] == "cooldown_started"
    assert "unless you cancel it" in event["message"]
    assert event["week"] == {"asked": 1, "cancelled": 0, "started": 0}
    assert daemon.cli("cancel").returncode == 0
    assert next(stream)["event"] == "request_cancelled"
    daemon.kill()
    assert list(stream) == []  # the stream ends when the daemon goes away


def test_run_once_beside_a_running_daemon_is_refused(daemon: SandboxDaemon) -> None:
    daemon.start()
    refused = daemon.cli("run", "--once")
    assert refused.returncode == 2
    assert "already keeps the block" in refused.stderr


# What `blocker status` must not load to answer: the block list's parser, the engine,
# the watchers' and the tray's libraries, nor the slow parts of the standard library.
HEAVY_MODULES = {
    "yaml", "psutil", "PIL", "pystray", "watchdog", "sqlite3", "blocker.daemon.engine",
    "blocker.blocklist.config_file", "blocker.core.report", "argparse", "logging",
    "dataclasses", "pathlib", "typing", "socket",
}  # fmt: skip
LOADED_BY_STATUS = """
import sys
from blocker.cli.main import main
status = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)))
sys.exit(status)
"""


# Both ways of printing: the text is made from the daemon's answer too (truthtext, which
# loads none of the core), so a person's `blocker status` is as quick as a script's; and
# every way of writing it: the sandbox before the command, after it, or no command at all.
@pytest.mark.parametrize(
    ("as_json", "written"),
    [(True, "before"), (False, "before"), (True, "after"), (False, "after"), (False, "bare")],
    ids=["json", "text", "json_options_after", "text_options_after", "no_command"],
)
def test_status_asks_the_daemon_without_loading_anything_heavy(
    daemon: SandboxDaemon, as_json: bool, written: str
) -> None:
    daemon.start()
    sandbox, json_option = ["--sandbox", str(daemon.folder)], ["--json"] * as_json
    argv = {
        "before": [*sandbox, "status", *json_option],
        "after": ["status", *json_option, *sandbox],
        "bare": sandbox,
    }[written]
    result = subprocess.run(
        [sys.executable, "-c", LOADED_BY_STATUS, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report, loaded = result.stdout.rstrip("\n").rsplit("\n", 1)
    if as_json:
        assert json.loads(report)["daemon"] is True
    else:
        assert "Next change:" in report, report
        assert "Daemon: not running" not in report
    assert HEAVY_MODULES.isdisjoint(loaded.split()), HEAVY_MODULES & set(loaded.split())


def test_a_daemon_restarted_under_faketime_serves_no_cooldown_early(tmp_path: Path) -> None:
    daemon = SandboxDaemon(
        tmp_path / "sandbox", block_list(pause="pause:\n  cooldown: 1h\n  max_length: 5m\n")
    )
    try:
        daemon.start()
        asked_at = time.time()
        assert daemon.cli("pause").returncode == 0
        starts_at = daemon.status()["pause"]["starts_at"]
        daemon.kill()
        # libfaketime without DONT_FAKE_MONOTONIC fakes every clock_gettime clock,
        # the boot clock included: the obvious way to fast-forward a program.
        daemon.start(env={"LD_PRELOAD": _libfaketime(), "FAKETIME": "+2h"})
        status = daemon.status()
        assert status["pause"]["state"] == "cooldown"
        # Later only by the real time the daemon was down, never sooner.
        assert 0 <= _moved(starts_at, status["pause"]["starts_at"]) <= time.time() - asked_at + 1
        trusted = datetime.fromisoformat(status["now"]).timestamp()
        assert abs(trusted - time.time()) < 5
        assert daemon.blocked()
    finally:
        daemon.kill()
