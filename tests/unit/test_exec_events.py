"""The kernel's process events: the messages read as the kernel writes them, and, as root
on Linux, real programs started and heard of (and a PID namespace where they are not)."""

from __future__ import annotations

import os
import select
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.watch import exec_events
from blocker.watch.browser_processes import BrowserWatcher
from blocker.watch.exec_events import ExecEvents, exec_event, open_exec_events, started_process

needs_root = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="the kernel's process events are for root (the daemon's user)",
)


def test_an_exec_message_names_the_process_not_the_thread() -> None:
    assert started_process(exec_event(4242, thread_id=4250)) == 4242


def test_other_events_and_cut_messages_name_no_process() -> None:
    fork = bytearray(exec_event(4242))
    struct.pack_into("=I", fork, 36, 0x00000001)  # PROC_EVENT_FORK where "what" is
    assert started_process(bytes(fork)) is None
    assert started_process(exec_event(4242)[:40]) is None
    assert started_process(b"") is None


def test_the_request_to_listen_asks_for_exec_events_only_or_in_the_older_form() -> None:
    filtered = exec_events.control_message(exec_events.PROC_CN_MCAST_LISTEN, only_exec=True)
    older = exec_events.control_message(exec_events.PROC_CN_MCAST_LISTEN, only_exec=False)
    assert struct.unpack_from("=I", filtered)[0] == len(filtered) == 16 + 20 + 8
    assert struct.unpack_from("=II", filtered, 36) == (1, exec_events.PROC_EVENT_EXEC)
    assert len(older) == 16 + 20 + 4


@pytest.fixture
def events() -> Iterator[ExecEvents]:
    opened = open_exec_events()
    assert opened is not None, "root on Linux outside a container hears process events"
    try:
        yield opened
    finally:
        opened.close()


def heard(events: ExecEvents, pid: int) -> list[int]:
    """Every process heard of until `pid` is, or two seconds pass."""
    started: list[int] = []
    while pid not in started and select.select([events], [], [], 2)[0]:
        started += events.read()[0]
    return started


@needs_root
def test_as_root_each_program_started_is_heard_of_by_its_process_id(
    events: ExecEvents,
) -> None:
    child = subprocess.Popen(["sleep", "5"])
    try:
        assert child.pid in heard(events, child.pid)
    finally:
        child.kill()
        child.wait()
    events.close()
    events.close()  # idempotent


@needs_root
def test_a_browser_heard_of_is_reported_with_its_blocked_page(
    events: ExecEvents, tmp_path: Path
) -> None:
    fake_browser = tmp_path / "chromium"  # python under a browser's name, for its cmdline
    shutil.copy(sys.executable, fake_browser)
    url = "https://www.instagram.com/Alex.Example/"
    browser = subprocess.Popen([str(fake_browser), "-c", "import time; time.sleep(30)", url])
    try:
        watcher = BrowserWatcher(shipped_browsers())
        found = watcher.started(heard(events, browser.pid), ("instagram.com/alex.example",))
        assert [(b.pid, b.browser.name, b.blocked_urls) for b in found] == [
            (browser.pid, "Chromium", (url,))
        ]
        assert watcher.started([browser.pid], ("instagram.com/alex.example",)) == []
        assert watcher.running_browsers() == {"Chromium"}
    finally:
        browser.kill()
        browser.wait()
    assert watcher.running_browsers() == set()  # ended: forgotten when next asked


@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux's unshare is needed")
def test_in_a_pid_namespace_of_its_own_no_process_events_are_offered() -> None:
    # The kernel ignores the request there, or names processes of another namespace.
    probe = "from blocker.watch.exec_events import open_exec_events; print(open_exec_events())"
    result = subprocess.run(
        ["unshare", "--pid", "--fork", sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.stdout.strip() == "None"
