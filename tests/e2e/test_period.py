"""`blocker init` and `blocker period` as real CLI processes in a sandbox: the period
asked for at a terminal (a pty), and changed through a real daemon: lengthening at once,
shortening after the cooldown, unless cancelled, which puts the file back."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from blocker.blocklist.starter import starter_list
from tests.e2e.helpers import blocker_argv, sandbox_daemon


def _read_until(master: int, wanted: str, seen: list[str], times: int = 1) -> None:
    """Read the terminal's output into `seen` until it holds `wanted` (`times` over)."""
    ends = time.monotonic() + 20
    while "".join(seen).count(wanted) < times:
        left = ends - time.monotonic()
        assert left > 0, f"{wanted!r} never came; the terminal showed {''.join(seen)!r}"
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                seen.append(os.read(master, 4096).decode())
            except OSError:  # the program ended and closed the terminal
                break


def test_init_at_a_terminal_asks_for_the_period_and_writes_it(tmp_path: Path) -> None:
    folder = tmp_path / "sandbox"
    master, terminal = pty.openpty()
    process = subprocess.Popen(
        blocker_argv("--sandbox", str(folder), "init"),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    seen: list[str] = []
    try:
        _read_until(master, "start? [today", seen)
        os.write(master, b"\n")
        _read_until(master, "How long", seen)
        os.write(master, b"a while\n")
        _read_until(master, "Write a number of days", seen)  # asked again, with the reason
        _read_until(master, "How long", seen, times=2)
        os.write(master, b"60 days\n")  # as a person answers "how long"
        _read_until(master, "[all day]", seen)
        os.write(master, b"\n")
        _read_until(master, "blocker --sandbox", seen)
        assert process.wait(timeout=20) == 0, "".join(seen)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    said = "".join(seen)
    today = date.today()
    last = today + timedelta(days=59)
    assert (
        f"starts today, {today.day} {today:%b %Y}, and lasts until the end of "
        f"{last.day} {last:%b %Y}" in said
    )
    assert "This sandbox's example block list is replaced by your own." in said
    check = subprocess.run(
        blocker_argv("--sandbox", str(folder), "check"), capture_output=True, text=True, check=False
    )
    assert "is valid: 0 profiles or threads, 0 whole sites" in check.stdout


def test_init_without_a_terminal_or_a_length_exits_2_naming_the_options(tmp_path: Path) -> None:
    folder = tmp_path / "sandbox"
    result = subprocess.run(
        blocker_argv("--sandbox", str(folder), "init"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"`blocker --sandbox {folder} init --days 60`" in result.stderr
    given = subprocess.run(
        blocker_argv("--sandbox", str(folder), "init", "--days", "60", "--hours", "18:00-02:00"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert given.returncode == 0, given.stderr
    assert "windows:\n    - days: every day\n" in (folder / "blocklist.yaml").read_text()


def test_a_daemon_on_a_list_with_nothing_on_it_blocks_nothing_and_says_how_to_add(
    tmp_path: Path,
) -> None:
    listed = starter_list({"start": date.today().isoformat(), "days": "60"}, None)
    with sandbox_daemon(tmp_path / "sandbox", listed) as daemon:
        daemon.start()
        status = daemon.cli("status")
        assert status.returncode == 0, status.stderr
        assert "Nothing is on your block list yet" in status.stdout
        assert "· your period runs until " in status.stdout.splitlines()[0]  # not "blocking"
        assert f"`blocker --sandbox {daemon.folder} add ADDRESS`" in status.stdout
        assert "Nothing is on your block list yet" in daemon.cli("list").stdout
        assert daemon.blocked() == frozenset()
        assert daemon.process is not None
        assert daemon.process.poll() is None  # an empty list ends no daemon
        daemon.stop()


def test_the_daemon_lengthens_the_period_at_once_and_a_shortening_waits_until_cancelled(
    tmp_path: Path,
) -> None:
    today = date.today().isoformat()
    listed = starter_list({"start": today, "days": "60"}, None).replace(
        "\nsites:\n", "\nsites:\n  - alexblog.example.com\n"
    )
    with sandbox_daemon(tmp_path / "sandbox", listed) as daemon:
        daemon.start()
        config = daemon.folder / "blocklist.yaml"
        longer = daemon.cli("period", "--days", "90")
        assert longer.returncode == 0, longer.stderr
        assert longer.stdout.startswith("Your period now lasts until the end of ")
        assert "(90 days)." in longer.stdout
        assert daemon.status()["period"]["days"] == 90

        shorter = daemon.cli("period", "--days", "30")
        assert shorter.returncode == 0, shorter.stderr
        assert shorter.stdout.startswith("Ending the period earlier waits for the cooldown")
        request = shorter.stdout.rsplit("cancel ", 1)[1].split("`")[0]
        assert f"`blocker --sandbox {daemon.folder} cancel {request}`" in shorter.stdout
        assert daemon.status()["period"]["days"] == 90  # in force until the cooldown ends
        shown = daemon.cli("period").stdout
        assert "Waiting: end the period earlier" in shown
        # The file's 30 days are what waits; the day is counted in the 90 days in force.
        assert shown.startswith("Once the waiting edit of your list applies")
        assert "(30 days)" in shown
        assert "Until then the period in force lasts until the end of " in shown
        assert "(today is day 1 of 90)" in shown

        cancelled = daemon.cli("cancel", request)
        assert cancelled.returncode == 0, cancelled.stderr
        assert "  days: 90\n" in config.read_text()
        assert daemon.status()["period"]["days"] == 90
        assert not daemon.status()["pause"]["pending"]

        mistake = daemon.cli("period", "--hours", "26:00-02:00")
        assert (mistake.returncode, mistake.stderr.count("\n")) == (2, 1)
        assert "--hours" in mistake.stderr
        daemon.stop()
