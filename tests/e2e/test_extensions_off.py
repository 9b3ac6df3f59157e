"""Chromium started with its extensions off runs without blocker's: the daemon hears of
the real browser starting (the kernel's process events) and counts it as an urge; a
sandbox never closes it, whatever strict mode says."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from blocker.ipc import client
from blocker.system import sockets
from tests.e2e.devtools import CHROMIUM_FLAGS
from tests.e2e.helpers import require_namespaces, sandbox_daemon, wait_for

BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n  - https://www.instagram.com/alex.example/\n"
    "strict: true\n"
)


def urges(folder: Path, layer: str) -> list[dict[str, object]]:
    log = client.request(folder / sockets.SOCKET_NAME, {"op": "log"})["entries"]
    return [e for e in log if e["kind"] == "urge" and e["detail"].get("layer") == layer]


def test_chromium_started_without_extensions_is_an_urge_and_a_sandbox_leaves_it_running(
    tmp_path: Path,
) -> None:
    require_namespaces()  # the kernel's process events need root
    flags = [f for f in CHROMIUM_FLAGS if f != "--remote-debugging-pipe"]
    with sandbox_daemon(tmp_path / "sandbox", BLOCK_LIST) as daemon:
        daemon.start()
        profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
        browser = subprocess.Popen(
            [
                "chromium",
                *flags,
                f"--user-data-dir={profile}",
                "--disable-extensions",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: bool(urges(daemon.folder, "extensions_off")), 15, "the urge counted")
            assert browser.poll() is None  # strict, but a sandbox never closes a browser
        finally:
            browser.kill()
            browser.wait(10)
