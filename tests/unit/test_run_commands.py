"""The commands that run blocker's processes (daemon, run, doctor, tray), as far as they go
without a desktop or the machine's own files: what they refuse, and what doctor learns
from a daemon running in this process."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from blocker.cli.main import main
from blocker.errors import ExitStatus
from blocker.system.paths import Paths
from tests.daemon_thread import Running
from tests.helpers import run_cli


def test_doctor_says_the_daemon_runs_and_which_of_its_layers_work(running: Running) -> None:
    result = run_cli(running.paths, "doctor")
    assert result.status == ExitStatus.OK
    lines = result.stdout.splitlines()
    assert "  ✓ daemon: running; every layer was reconciled on its last step" in lines
    assert any(line.startswith("  ✓ noticing browsers start: ") for line in lines)
    # The tests' daemon serves no extension (that is run()'s, apart from the loop).
    assert any(
        line.startswith("  ✗ blocker's extension (Chromium family): it is not served;")
        for line in lines
    )


def test_doctor_without_a_daemon_says_nothing_keeps_the_block(paths: Paths) -> None:
    lines = run_cli(paths, "doctor").stdout.splitlines()
    assert "  ✗ daemon: not running: nothing keeps the block or repairs it" in lines


def test_run_once_beside_a_running_daemon_is_refused_and_leaves_its_block(
    running: Running,
) -> None:
    running.ask(op="ping")  # answered after the loop's first step
    before = running.paths.hosts.read_bytes()
    result = run_cli(running.paths, "run", "--once")
    assert result.status == ExitStatus.INVALID
    assert "the blocker daemon is running and already keeps the block" in result.stderr
    assert running.paths.hosts.read_bytes() == before


def test_a_daemon_for_a_user_who_does_not_exist_does_not_start(paths: Paths) -> None:
    result = run_cli(paths, "daemon", "--user", "no-such-user-here")
    assert result.status == ExitStatus.INVALID
    assert result.stderr == "blocker: there is no user 'no-such-user-here' on this computer\n"
    assert not paths.socket.exists()


def test_the_tray_without_a_desktop_says_the_daemon_keeps_the_block(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run_cli(paths, "tray")
    assert result.status == ExitStatus.ERROR
    assert "the tray needs a desktop session (no DISPLAY is set)" in result.stderr


def test_a_first_sandbox_with_the_real_environment_starts_from_the_example_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = tmp_path / "try"
    assert main(["--sandbox", str(sandbox), "check"]) == ExitStatus.OK
    assert "is valid" in capsys.readouterr().out
    assert (sandbox / "hosts").read_bytes() == Path("/etc/hosts").read_bytes()
    assert stat.S_IMODE((sandbox / "blocklist.yaml").stat().st_mode) == 0o600
    # The machine's own clock and time zone plan it (what it plans depends on the day).
    assert main(["--sandbox", str(sandbox), "plan", "--json"]) == ExitStatus.OK
    assert isinstance(json.loads(capsys.readouterr().out)["blocking"], bool)
