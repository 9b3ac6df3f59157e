"""A real daemon under systemd's watchdog says it is alive at each step: systemd kills and
restarts one that falls silent (frozen with `kill -STOP`), so it repairs the block again.
systemd's side is played by a datagram socket, as in sd_notify(3)."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

from blocker.system.service import render_systemd_unit
from tests.e2e.helpers import SandboxDaemon, blocker_argv

LIST = "period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - alexblog.example.com\n"


def _notifications(listener: socket.socket, seconds: float) -> list[bytes]:
    heard, deadline = [], time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        listener.settimeout(left)
        try:
            heard.append(listener.recv(4096))
        except TimeoutError:
            break
    return heard


def test_the_daemon_tells_the_watchdog_it_is_alive_and_falls_silent_when_frozen(
    tmp_path: Path,
) -> None:
    address = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(address))
        daemon = SandboxDaemon(tmp_path / "sandbox", LIST)
        daemon.start(env={"NOTIFY_SOCKET": str(address), "WATCHDOG_USEC": "120000000"})
        try:
            assert b"WATCHDOG=1" in _notifications(listener, 3)
            assert daemon.cli("reload").returncode == 0  # a request that steps the daemon
            assert b"WATCHDOG=1" in _notifications(listener, 3)
            assert daemon.process is not None
            daemon.process.send_signal(signal.SIGSTOP)
            _notifications(listener, 0.5)  # what was sent before it froze
            waiting = subprocess.Popen(  # would step it, were it running
                blocker_argv("--sandbox", str(daemon.folder), "reload"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert _notifications(listener, 2) == []  # silent: systemd's watchdog bites
            daemon.process.send_signal(signal.SIGCONT)
            assert waiting.wait(timeout=30) == 0
            assert b"WATCHDOG=1" in _notifications(listener, 3)
        finally:
            daemon.kill()
    # What systemd is told: the watchdog's timeout, and to kill rather than dump core.
    unit = render_systemd_unit(["/usr/bin/blocker", "daemon"])
    assert "WatchdogSec=2min" in unit
    assert "WatchdogSignal=SIGKILL" in unit
