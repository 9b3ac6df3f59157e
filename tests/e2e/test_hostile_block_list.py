"""Hostile values in the block list, and a hostile pause length, against a real daemon
driven through the real CLI: each is refused with file:line:col and its limit, the daemon
lives on, and the last good list stays in force."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from tests.e2e.helpers import ORIGINAL_HOSTS, SandboxDaemon, blocker_argv, sandbox_daemon, wait_for

FIELDS = {
    "start": "2026-01-01",
    "length": "days: 3000",
    "cooldown": "1h",
    "max_length": "15m",
    "per_day": "2",
    "reason": "I want my evenings back.",
}


def block_list(**changed: str) -> str:
    """The good list, with the values in `changed` in place of its own. Line numbers are
    fixed in a hostile list: start is on line 2, the length on 3, the pause settings on 8
    to 10, the reason on 12. A hostile list adds other.example.org (a tightening, which
    would apply at once): were it taken in, that site would be blocked."""
    values = {**FIELDS, **changed}
    other = "  - other.example.org\n" if changed else ""
    return (
        f"period:\n  start: {values['start']}\n  {values['length']}\n"
        f"sites:\n  - alexblog.example.com\n{other}"
        f"pause:\n  cooldown: {values['cooldown']}\n  max_length: {values['max_length']}\n"
        f"  per_day: {values['per_day']}\nreasons:\n  - {values['reason']}\n"
    )


# (the changed value, where it is refused, the limit the error names)
THIS_CENTURY = "from 2000-01-01 to 2100-12-31"
HOSTILE = [
    pytest.param({"length": "until: 9999-12-31"}, "3:10", THIS_CENTURY, id="until"),
    pytest.param({"start": "9999-12-31"}, "2:10", THIS_CENTURY, id="start"),
    pytest.param({"length": "until: 2099-12-31"}, "3:10", "at most 3660 days", id="long-until"),
    pytest.param({"cooldown": "999999999d"}, "8:13", "from 0s to 2d", id="cooldown"),
    pytest.param({"max_length": "999999999d"}, "9:15", "from 1s to 1d", id="max_length"),
    pytest.param({"per_day": "²"}, "10:12", "from 0 to 24", id="per_day"),
    pytest.param({"reason": "[" * 3000 + "]" * 3000}, "12:35", "more than 32 levels", id="nesting"),
]  # fmt: skip


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path / "sandbox", block_list()) as running:
        yield running


def write_list(daemon: SandboxDaemon, text: str) -> None:
    """Replace the list in one step, as an editor that saves atomically does: the daemon
    sees the hostile list itself, never an empty file half written."""
    path = daemon.folder / "blocklist.yaml"
    partial = path.with_name("blocklist.yaml.new")
    partial.write_text(text)
    partial.replace(path)


def rejections(daemon: SandboxDaemon) -> list[str]:
    """The errors of the rejected edits in the urge log, as `blocker stats --export` has them."""
    table = daemon.folder / "log.csv"
    exported = daemon.cli("stats", "--export", str(table))
    assert exported.returncode == 0, exported.stderr
    with table.open(newline="") as rows:
        return [row["error"] for row in csv.DictReader(rows) if row["kind"] == "rejected"]


def assert_one_line_error(stderr: str, where: str, limit: str) -> None:
    assert "Traceback" not in stderr
    (line,) = [line for line in stderr.splitlines() if line.startswith("blocker: ")]
    assert where in line
    assert limit in line


def assert_last_good_list_holds(daemon: SandboxDaemon) -> None:
    assert daemon.process is not None
    assert daemon.process.poll() is None, "the daemon ended"
    assert "alexblog.example.com" in daemon.blocked()
    assert "other.example.org" not in daemon.blocked()
    assert daemon.status()["blocking"] is True


@pytest.mark.parametrize(("changed", "place", "limit"), HOSTILE)
def test_a_hostile_edit_is_rejected_with_its_place_and_the_last_good_list_stays(
    daemon: SandboxDaemon, changed: dict[str, str], place: str, limit: str
) -> None:
    daemon.start()
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
    write_list(daemon, block_list(**changed))
    where = f"{daemon.folder / 'blocklist.yaml'}:{place}"
    wait_for(
        lambda: any(where in error for error in rejections(daemon)),
        timeout=15,
        what="the edit rejected",
    )
    (error,) = [error for error in rejections(daemon) if where in error]
    assert limit in error
    assert_last_good_list_holds(daemon)
    checked = daemon.cli("check")
    assert checked.returncode == ExitStatus.INVALID
    assert checked.stdout == ""
    assert_one_line_error(checked.stderr, where, limit)
    daemon.cli("reload")  # another look at the same file changes nothing
    assert_last_good_list_holds(daemon)
    assert "Traceback" not in daemon.stop()


def test_a_pause_of_a_huge_length_gets_a_one_line_refusal_and_the_daemon_lives(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    refused = daemon.cli("pause", "99999999999999999999999d")
    assert refused.returncode == ExitStatus.REFUSED
    assert (
        refused.stderr == "blocker: a pause can last at most 15m; "
        f"`blocker --sandbox {daemon.folder} pause 15m` asks for that\n"
    )
    assert daemon.status()["pause"]["state"] == "none"
    assert_last_good_list_holds(daemon)
    assert daemon.cli("pause", "10m").returncode == ExitStatus.OK  # it still answers pauses
    assert daemon.status()["pause"]["state"] == "cooldown"
    assert "Traceback" not in daemon.stop()


@pytest.mark.parametrize(("changed", "place", "limit"), HOSTILE[::3])
def test_a_restart_with_a_hostile_list_on_disk_keeps_the_last_good_list_running(
    daemon: SandboxDaemon, changed: dict[str, str], place: str, limit: str
) -> None:
    daemon.start()
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
    daemon.stop()
    write_list(daemon, block_list(**changed))
    daemon.start()
    where = f"{daemon.folder / 'blocklist.yaml'}:{place}"
    wait_for(
        lambda: any(where in error and limit in error for error in rejections(daemon)),
        timeout=15,
        what="the list on disk rejected",
    )
    assert_last_good_list_holds(daemon)
    assert "Traceback" not in daemon.stop()


@pytest.mark.parametrize(("changed", "place", "limit"), HOSTILE[1::3])
def test_a_first_start_with_a_hostile_list_exits_with_one_line_and_changes_nothing(
    tmp_path: Path, changed: dict[str, str], place: str, limit: str
) -> None:
    # With no state yet there is no last good list to keep: as for any broken list, the
    # daemon refuses to start, in one line, rather than run without a block list.
    folder = tmp_path / "sandbox"
    SandboxDaemon(folder, block_list(**changed))
    started = subprocess.run(
        blocker_argv("--sandbox", str(folder), "daemon"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == ExitStatus.INVALID
    assert_one_line_error(started.stderr, f"{folder / 'blocklist.yaml'}:{place}", limit)
    assert (folder / "hosts").read_bytes() == ORIGINAL_HOSTS
