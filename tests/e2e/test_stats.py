"""`blocker stats` through the real CLI, with a real daemon process and without one: the
same story either way, a spreadsheet's CSV without the rejections an editor's two-step
save leaves for a moment, and a log read without a daemon left as it was, byte for byte."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from tests.e2e.helpers import SandboxDaemon, blocker_argv, wait_for

NOBODY = "65534"
COLUMNS = ["at", "kind", "target", "layer", "title", "url", "platform", "site", "error", "message"]


def block_list(sites: str = "  - alexblog.example.com\n") -> str:
    # Begun two days ago: the sparkline has the period's three days, not fourteen.
    start = date.today() - timedelta(days=2)
    return (
        f"period:\n  start: {start.isoformat()}\n  days: 30\nsites:\n{sites}"
        "pause:\n  cooldown: 1h\n  max_length: 10m\n"
    )


@pytest.fixture
def daemon(shared_folder: Path) -> Iterator[SandboxDaemon]:
    running = SandboxDaemon(shared_folder / "sandbox", block_list())
    running.folder.chmod(0o755)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def save_in_two_steps(path: Path, text: str) -> None:
    """As nano or VS Code save: the file emptied, then written."""
    with path.open("w") as stream:
        stream.flush()
        os.fsync(stream.fileno())
        time.sleep(0.3)  # long enough for the daemon to read the empty file
        stream.write(text)


def save_at_once(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".new")
    partial.write_text(text)
    partial.replace(path)


def exported(daemon: SandboxDaemon, name: str) -> tuple[str, list[dict[str, str]], str]:
    table = daemon.folder / name
    result = daemon.cli("stats", "--export", str(table))
    assert result.returncode == ExitStatus.OK, result.stderr
    assert stat.S_IMODE(table.stat().st_mode) == 0o600  # it names the ex's profiles
    with table.open(newline="", encoding="utf-8") as stream:
        assert next(csv.reader(stream)) == COLUMNS
    with table.open(newline="", encoding="utf-8") as stream:
        return table.read_text(encoding="utf-8"), list(csv.DictReader(stream)), result.stdout


def test_stats_and_the_csv_tell_the_same_story_with_the_daemon_and_without_it(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    wait_for(lambda: bool(daemon.blocked()), timeout=10, what="the block")
    assert daemon.cli("pause").returncode == ExitStatus.OK
    assert daemon.cli("cancel").returncode == ExitStatus.OK
    config = daemon.folder / "blocklist.yaml"
    # A tightening edit saved in two steps: a moment's empty file, then the list.
    save_in_two_steps(config, block_list("  - alexblog.example.com\n  - alexnews.example.net\n"))
    wait_for(lambda: "alexnews.example.net" in daemon.blocked(), timeout=10, what="the edit")
    # A mistake of the person's own, put right a while later: that one is worth a row.
    save_at_once(config, block_list("  - alexblog.example.com\n  - [\n"))
    wait_for(lambda: daemon.status()["rejected"] is not None, timeout=10, what="the rejection")
    time.sleep(3)
    save_at_once(config, block_list("  - alexblog.example.com\n  - alexnews.example.net\n"))
    wait_for(lambda: daemon.status()["rejected"] is None, timeout=10, what="the fix")

    text = daemon.cli("stats")
    assert text.returncode == ExitStatus.OK, text.stderr
    assert "Pauses: asked for 1, cancelled 1, used 0." in text.stdout
    assert "Urges resisted: 0. Each day since the period began: ▁▁▁\n" in text.stdout
    assert "Longest run without a pause: 3 days." in text.stdout
    assert "not running" not in text.stdout
    told = json.loads(daemon.cli("stats", "--json").stdout)
    assert told["daemon"] is True
    with_daemon, rows, wrote = exported(daemon, "with-daemon.csv")
    assert wrote == f"Wrote {len(rows)} rows to {daemon.folder / 'with-daemon.csv'}.\n"
    kinds = [row["kind"] for row in rows]
    assert kinds.count("asked") == kinds.count("cancelled") == 1
    assert "applied" in kinds
    (rejected,) = [row for row in rows if row["kind"] == "rejected"]
    assert f"{config}:" in rejected["error"]  # its place, in a column of its own
    assert rejected["at"][:10] == date.today().isoformat()
    assert rejected["at"][10] == " "  # a date and a time, as spreadsheets read them

    # Killed, as a person in a weak moment might: its last rows may be in SQLite's journal.
    daemon.kill()
    state = daemon.folder / "state"
    log = state / "urges.sqlite"
    before, files = log.read_bytes(), sorted(p.name for p in state.iterdir())
    alone = daemon.cli("stats", "--json")
    assert alone.returncode == ExitStatus.OK, alone.stderr
    assert alone.stderr == (
        "The daemon is not running, so blocker read the urge log itself "
        f"(`blocker --sandbox {daemon.folder} daemon` starts it).\n"
    )
    read = json.loads(alone.stdout)
    assert (read.pop("daemon"), told.pop("daemon")) == (False, True)
    assert read.pop("truth")["period"] == told.pop("truth")["period"]
    assert read == told
    by_itself = daemon.cli("stats")
    assert by_itself.stdout.startswith("The daemon is not running, so blocker read the urge log")
    assert text.stdout.splitlines()[1:] == by_itself.stdout.splitlines()[2:]
    without_daemon, _, wrote = exported(daemon, "without-daemon.csv")
    assert without_daemon == with_daemon
    assert wrote.splitlines()[0].startswith("The daemon is not running")
    assert log.read_bytes() == before
    assert sorted(p.name for p in state.iterdir()) == files


def _runs_as_nobody() -> bool:
    """Whether this Python can be started as another user (not from a private home)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
         *blocker_argv("--help")],
        capture_output=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    return probe.returncode == 0


def test_a_person_who_cannot_read_the_log_is_told_to_start_the_daemon(
    daemon: SandboxDaemon,
) -> None:
    if not _runs_as_nobody():
        pytest.skip("running blocker as another user needs root, setpriv and a Python it may run")
    (daemon.folder / "blocklist.yaml").chmod(0o644)
    daemon.start()  # as root: the state folder and the log are root's
    daemon.stop()
    result = daemon.cli("stats", user=NOBODY)
    assert result.returncode == ExitStatus.ERROR
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"blocker: `blocker --sandbox {daemon.folder} stats` needs the daemon")
    assert f"`blocker --sandbox {daemon.folder} daemon`" in line
