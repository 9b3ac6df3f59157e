"""The real CLI as a person types it: hints under --sandbox keep the sandbox, a reader
that stops early (`| head`) is no error, options go before or after the command, and a
mistake in what was typed exits 2 where a refusal to loosen exits 3."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, blocker_argv, sandbox_daemon

LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n"
    + "".join(
        f"  - https://www.instagram.com/someone.{n}/\n" for n in range(4000)
    )  # more than a pipe holds
    + "sites:\n  - alexblog.example.com\n"
)


def test_a_hint_to_start_the_daemon_keeps_the_sandbox_in_use(tmp_path: Path) -> None:
    sandbox = SandboxDaemon(tmp_path / "sandbox", LIST)  # files only: no daemon runs
    status = sandbox.cli("status")
    assert f"blocker --sandbox {sandbox.folder} daemon" in status.stdout
    assert "`sudo blocker daemon`" not in status.stdout
    paused = sandbox.cli("pause")
    assert paused.stderr == (
        f"blocker: the blocker daemon is not running; start it with `blocker --sandbox "
        f"{sandbox.folder} daemon` (or install it as a service with `blocker --sandbox "
        f"{sandbox.folder} service install`)\n"
    )


# A person's shell buffers Python's output (the tests' may not): what is left is written
# as the command ends, after a reader such as `head` may be gone.
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize("command", ["plan", "list", "status", "plan --json", "--help"])
@pytest.mark.parametrize(
    "reader", ["head -3", "(exec 0<&-; sleep 0.5)"], ids=["head", "gone_at_once"]
)
def test_a_reader_that_stops_early_is_not_an_error(
    tmp_path: Path, command: str, reader: str
) -> None:
    sandbox = SandboxDaemon(tmp_path / "sandbox", LIST)
    argv = blocker_argv("--sandbox", str(sandbox.folder), *command.split())
    listed = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "$@" | {reader} >/dev/null', "bash", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=BUFFERED,
    )
    assert (listed.returncode, listed.stderr) == (0, "")


def _blocker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        blocker_argv(*args), capture_output=True, text=True, timeout=60, check=False
    )


def test_the_sandbox_given_after_the_command_is_the_same_sandbox(tmp_path: Path) -> None:
    sandbox = SandboxDaemon(tmp_path / "sandbox", LIST)  # files only: no daemon runs
    before = sandbox.cli("status")
    after = _blocker("status", "--sandbox", str(sandbox.folder))
    assert (after.returncode, after.stderr) == (0, "")
    assert after.stdout == before.stdout
    assert f"blocker --sandbox {sandbox.folder} daemon" in after.stdout
    checked = _blocker("check", f"--sandbox={sandbox.folder}", "-v")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == (
        f"{sandbox.folder}/blocklist.yaml is valid: 4000 profiles or threads, 1 whole site.\n"
    )


def test_blocker_with_no_command_shows_the_status(tmp_path: Path) -> None:
    sandbox = SandboxDaemon(tmp_path / "sandbox", LIST)
    bare = _blocker("--sandbox", str(sandbox.folder))
    assert (bare.returncode, bare.stderr) == (0, "")
    assert bare.stdout == sandbox.cli("status").stdout
    assert bare.stdout.startswith("Day ")


SMALL_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n  - instagram: alex.example\n"
    "pause:\n  cooldown: 15m\n  max_length: 10m\n  per_day: 2\n"
)


def test_a_mistake_exits_2_and_a_refusal_to_loosen_exits_3(tmp_path: Path) -> None:
    with sandbox_daemon(tmp_path / "sandbox", SMALL_LIST) as daemon:
        daemon.start()
        for typed in (
            ("add", "myspace:bob"),
            ("add", "--site", "not a site"),
            ("remove", "tiktok:never.listed"),
            ("pause", "abc"),
            ("cancel", "r9"),
        ):
            mistake = daemon.cli(*typed)
            assert (mistake.returncode, mistake.stdout) == (2, ""), typed
            assert mistake.stderr.startswith("blocker: "), mistake.stderr
        too_long = daemon.cli("pause", "2h")
        assert (too_long.returncode, too_long.stderr) == (
            3,
            "blocker: a pause can last at most 10m; "
            f"`blocker --sandbox {daemon.folder} pause 10m` asks for that\n",
        )


def test_a_pause_typed_in_words_is_named_back_with_both_ends(tmp_path: Path) -> None:
    with sandbox_daemon(tmp_path / "sandbox", SMALL_LIST) as daemon:
        daemon.start()
        paused = daemon.cli("pause", "10", "minutes")  # as typed, without quotes
        assert (paused.returncode, paused.stderr) == (0, "")
        cancel = re.escape(f"`blocker --sandbox {daemon.folder} cancel r1`")
        said = re.fullmatch(
            r"Your pause of 10 minutes starts at (\d\d):(\d\d) \(in 1[45] min\) and ends at "
            r"(\d\d):(\d\d)\. Most urges pass before it starts; if this one does, "
            rf"{cancel} keeps the block on\.\n",
            paused.stdout,
        )
        assert said is not None, paused.stdout
        starts, ends = (int(said[1]) * 60 + int(said[2]), int(said[3]) * 60 + int(said[4]))
        assert (ends - starts) % (24 * 60) == 10
        local = datetime.now().astimezone() + timedelta(minutes=15)  # the machine's own zone
        assert (local.hour * 60 + local.minute - starts) % (24 * 60) in (0, 1, 1439)
        assert daemon.cli("pause", "0m").returncode == 2


def test_the_daemons_words_suggest_commands_in_its_sandbox(tmp_path: Path) -> None:
    with sandbox_daemon(tmp_path / "sandbox", SMALL_LIST) as daemon:
        daemon.start()
        assert daemon.cli("pause").returncode == 0
        again = daemon.cli("pause")
        assert (again.returncode, again.stderr) == (
            3,
            "blocker: a pause is already waiting for its cooldown (r1); "
            f"`blocker --sandbox {daemon.folder} cancel` drops it\n",
        )
        beside = daemon.cli("run", "--once")
        assert beside.returncode == 2
        assert f"`blocker --sandbox {daemon.folder} status` shows it" in beside.stderr
        assert daemon.cli("stop").returncode == 0
        stopped = daemon.cli("stop")
        assert f"`blocker --sandbox {daemon.folder} cancel` drops it" in stopped.stderr
        assert stopped.stderr.count("--sandbox") == 1
