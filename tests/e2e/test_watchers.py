"""The watchers against real processes and a real X server: a browser started on a
blocked page, and a blocked profile whose title appears in a real Chromium window."""

from __future__ import annotations

import http.server
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.wakeups import thread_sleeps, wakeups_between
from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.daemon.urgelog import UrgeLog
from blocker.daemon.watchers import EXEC_EVENTS, SCANNING
from blocker.desktop.notify import Notifier
from blocker.desktop.tray import Tray
from blocker.ipc import client
from blocker.watch.titles import X11Windows
from tests.e2e.helpers import SandboxDaemon, local_server, wait_for, x_server

BLOCK_LIST = "period:\n  start: 2026-01-01\n  days: 3000\nprofiles:\n  - instagram: alex.example\n"
PROFILE_TITLE = "Alex (@alex.example) \u2022 Instagram photos and videos"
PAGE = (
    "<html><head><title>New page</title></head><body><script>"
    "setTimeout(function () { history.pushState({}, '', '/alex.example/'); "
    f"document.title = '{PROFILE_TITLE}'; }}, 2500);</script>hello</body></html>"
)


def collect_events(socket_path: Path) -> queue.Queue[dict[str, Any]]:
    """The daemon's events from now on: returns once the daemon has answered the
    subscription (an urge the kernel tells of at once must not come before it)."""
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    subscribed = threading.Event()

    def listen() -> None:
        for event in client.subscribe(socket_path):
            events.put(event)
            subscribed.set()

    threading.Thread(target=listen, daemon=True).start()
    assert subscribed.wait(10), "the daemon did not answer the subscription"
    return events


BLOCKED_PAGE = "https://www.instagram.com/Alex.Example/"


def next_urge(events: queue.Queue[dict[str, Any]], layer: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if event.get("event") == "urge" and event.get("layer") == layer:
            return event
    pytest.fail(f"no urge from the {layer} watcher within {timeout} s")


def assert_a_browser_started_on_a_blocked_page_is_noticed(
    daemon: SandboxDaemon, tmp_path: Path
) -> None:
    events = collect_events(daemon.folder / "control.sock")
    fake_browser = tmp_path / "chromium"  # python under a browser's name, for its cmdline
    shutil.copy(sys.executable, fake_browser)
    browser = subprocess.Popen(
        [
            str(fake_browser),
            "-c",
            "import time; time.sleep(30)",
            BLOCKED_PAGE,
        ]
    )
    try:
        urge = next_urge(events, "process", timeout=5)
        assert urge["url"] == "https://www.instagram.com/Alex.Example/"
        assert urge["browser"] == "Chromium"
        log = UrgeLog(daemon.folder / "state" / "urges.sqlite")
        logged = [(e.kind, e.detail.get("url")) for e in log.entries()]
        log.close()
        assert ("urge", "https://www.instagram.com/Alex.Example/") in logged
    finally:
        browser.kill()
        browser.wait()


def test_a_browser_started_on_a_blocked_page_is_noticed(tmp_path: Path) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    try:
        daemon.start()
        assert_a_browser_started_on_a_blocked_page_is_noticed(daemon, tmp_path)
    finally:
        daemon.kill()


def test_a_sandbox_in_strict_mode_notices_a_browser_but_never_closes_it(tmp_path: Path) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST + "strict: true\n")
    fake_browser = tmp_path / "chromium"
    shutil.copy(sys.executable, fake_browser)
    try:
        daemon.start()
        events = collect_events(daemon.folder / "control.sock")
        browser = subprocess.Popen(
            [str(fake_browser), "-c", "import time; time.sleep(30)", BLOCKED_PAGE]
        )
        try:
            next_urge(events, "process", timeout=5)
            time.sleep(2)  # longer than strict mode's grace before it would close
            assert browser.poll() is None  # a real browser of the machine is left alone
        finally:
            browser.kill()
            browser.wait()
    finally:
        daemon.kill()


needs_root = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="the kernel's process events are for root (the daemon's user)",
)


@needs_root
def test_as_root_the_daemon_is_told_of_each_program_started_and_says_so() -> None:
    with tempfile.TemporaryDirectory() as folder:
        daemon = SandboxDaemon(Path(folder), BLOCK_LIST)
        try:
            daemon.start()
            assert daemon.status()["process_watch"] == EXEC_EVENTS
            doctor = json.loads(daemon.cli("doctor", "--json").stdout)
            watch = [
                layer for layer in doctor["layers"] if layer["name"] == "noticing browsers start"
            ]
            assert watch == [
                {"name": "noticing browsers start", "works": True, "detail": EXEC_EVENTS}
            ]
        finally:
            daemon.kill()


@needs_root
def test_a_burst_of_programs_wakes_the_daemon_about_once_a_second_and_a_browser_after_it_is_noticed(
    tmp_path: Path,
) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    try:
        daemon.start()
        assert daemon.process is not None
        time.sleep(1)  # past the start and its first look
        before = thread_sleeps(daemon.process.pid)
        burst = "i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done"
        started = time.monotonic()
        subprocess.run(["sh", "-c", burst], check=True)
        woken = wakeups_between(before, thread_sleeps(daemon.process.pid))
        seconds = time.monotonic() - started
        # One look at once, then one a second at most (and a wake-up or two of its own).
        assert woken <= seconds + 4, f"{woken} wake-ups for 300 programs in {seconds:.1f} s"
        # The browser comes within a second of the last look: the look is put off, and
        # the browser still noticed.
        assert_a_browser_started_on_a_blocked_page_is_noticed(daemon, tmp_path)
    finally:
        daemon.kill()


@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux's unshare is needed")
def test_in_a_container_without_process_events_the_daemon_scans_and_still_notices(
    tmp_path: Path,
) -> None:
    # In a PID namespace of its own the kernel sends the daemon process ids of another
    # namespace, which it cannot use; /proc stays the machine's, so a scan sees all.
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    try:
        daemon.start(wrapper=("unshare", "--pid", "--fork", "--kill-child"))
        assert daemon.status()["process_watch"] == SCANNING
        assert_a_browser_started_on_a_blocked_page_is_noticed(daemon, tmp_path)
    finally:
        daemon.kill()


@pytest.fixture
def x_display() -> Iterator[str]:
    if shutil.which("Xvfb") is None or shutil.which("chromium") is None:
        pytest.skip("Debian's xvfb and chromium are needed (scripts/test installs them)")
    with x_server() as display:
        yield display


def start_chromium(display: str, profile: str, url: str) -> subprocess.Popen[bytes]:
    """A real, windowed Chromium on `display`."""
    return subprocess.Popen(
        [
            "chromium",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            url,
        ],
        env={**os.environ, "DISPLAY": display, "WAYLAND_DISPLAY": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        data = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def page_server() -> Iterator[int]:
    with local_server(Page) as port:
        yield port


def test_a_blocked_profile_in_a_real_chromium_window_raises_an_urge_within_two_seconds(
    tmp_path: Path, x_display: str, page_server: int
) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        daemon.start(env={"DISPLAY": x_display})
        events = collect_events(daemon.folder / "control.sock")
        browser = start_chromium(x_display, profile, f"http://127.0.0.1:{page_server}/")
        try:
            windows = X11Windows(x_display)
            try:
                wait_for(
                    lambda: any(PROFILE_TITLE in w.title for w in windows.windows()),
                    timeout=30,
                    what="the profile's title in the window",
                )
                shown = time.monotonic()
            finally:
                windows.close()
            urge = next_urge(events, "title", timeout=5)
            assert time.monotonic() - shown < 2.0
            assert urge["browser"] == "Chromium"
            assert "(@alex.example)" in urge["title"]
        finally:
            browser.terminate()
            browser.wait(10)
    finally:
        daemon.kill()
        shutil.rmtree(profile, ignore_errors=True)


class Silent(Notifier):
    def show(self, title: str, body: str, *, urgent: bool = False) -> bool:
        return True


def test_the_tray_reads_titles_for_a_daemon_without_a_display(
    tmp_path: Path, x_display: str, page_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        daemon.start(env={"DISPLAY": ""})  # a system service: no display to read
        assert daemon.status()["watching_titles"] is False
        events = collect_events(daemon.folder / "control.sock")
        monkeypatch.setenv("DISPLAY", x_display)
        tray = Tray(
            daemon.folder / "control.sock",
            BlockListFile(daemon.folder / "blocklist.yaml", shipped_catalog(), frozenset()),
            Silent(),
        )
        tray.start()
        browser = start_chromium(x_display, profile, f"http://127.0.0.1:{page_server}/")
        try:
            urge = next_urge(events, "title", timeout=30)
            assert "(@alex.example)" in urge["title"]
        finally:
            tray.stop()  # its worker closes its display connection on the way out
            browser.terminate()
            browser.wait(10)
    finally:
        daemon.kill()
        shutil.rmtree(profile, ignore_errors=True)
