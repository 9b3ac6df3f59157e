"""The control socket under attack: other users, garbage, huge lines and floods are
answered or refused, and the daemon lives on with its state intact."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from tests.e2e.helpers import SandboxDaemon

NOBODY = "65534"
BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - alexblog.example.com\n"
    "pause:\n  cooldown: 1h\n"
)


@pytest.fixture
def daemon(shared_folder: Path) -> Iterator[SandboxDaemon]:
    running = SandboxDaemon(shared_folder / "sandbox", BLOCK_LIST)
    running.folder.chmod(0o755)
    (running.folder / "blocklist.yaml").chmod(0o644)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def raw_exchange(path: Path, payload: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the daemon may close first, having answered
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
        return b"".join(chunks)


def answers(raw: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def require_setpriv() -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("switching to another user needs root and setpriv")


def test_another_user_can_reach_the_socket_but_may_not_ask_anything(daemon: SandboxDaemon) -> None:
    require_setpriv()
    daemon.start()
    for request in (("status",), ("pause",), ("cancel",), ("stop",)):
        refused = daemon.cli(*request, user=NOBODY)
        assert refused.returncode == ExitStatus.REFUSED, refused.stderr
        assert "this user may not control blocker" in refused.stderr
    assert daemon.status()["pause"]["state"] == "none"


def test_the_configured_user_may_ask(daemon: SandboxDaemon) -> None:
    require_setpriv()
    daemon.start("--user", "nobody")
    assert daemon.cli("pause", user=NOBODY).returncode == 0
    assert daemon.status()["pause"]["state"] == "cooldown"


def test_garbage_half_lines_and_huge_lines_get_errors_and_change_nothing(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    assert daemon.cli("pause").returncode == 0
    state_before = daemon.status()["pause"]
    socket_path = daemon.folder / "control.sock"
    noise = os.urandom(4096).replace(b"\n", b" ") + b"\n"
    for payload in (
        noise,
        b'{"op": "status", "x": [1, 2\n',
        b'{"op": "stat',
        b"[1, 2, 3]\n",
        b'{"op": 5}\n',
        b'{"op": "pickle", "data": "gASV"}\n',
    ):
        for answer in answers(raw_exchange(socket_path, payload)):
            assert answer["ok"] is False
    huge = answers(raw_exchange(socket_path, b"x" * 100_000_000 + b"\n"))
    assert huge
    assert huge[0]["ok"] is False
    assert "at most" in str(huge[0]["error"])
    assert daemon.process is not None
    assert daemon.process.poll() is None
    assert daemon.status()["pause"] == state_before
    assert daemon.blocked()


def test_a_flood_of_ten_thousand_requests_is_answered(daemon: SandboxDaemon) -> None:
    daemon.start()
    socket_path = daemon.folder / "control.sock"
    replies = []
    for _ in range(10):
        batch = b'{"op": "ping"}\n' * 999 + b'{"op": "status"}\n'
        replies.extend(answers(raw_exchange(socket_path, batch)))
    assert len(replies) == 10_000
    assert all(reply["ok"] for reply in replies)
    assert daemon.status()["blocking"] is True
