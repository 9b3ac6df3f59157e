"""The control socket under attack: other users, garbage, huge lines and floods are
answered or refused, and the daemon lives on with its state intact."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from tests.e2e.helpers import SandboxDaemon, wait_for

NOBODY = "65534"
AS_NOBODY = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
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


def test_deep_nesting_duplicate_keys_and_wrong_types_are_answered_and_the_daemon_lives(
    daemon: SandboxDaemon,
) -> None:
    daemon.start()
    socket_path = daemon.folder / "control.sock"
    for payload, reason in (
        (b'{"op": "status", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}\n", "nested more than"),
        (b'{"op": "status", "n": ' + b"1" * 5000 + b"}\n", "not a usable JSON value"),
        (b'{"op": "cancel", "op": "pause"}\n', "given twice"),
        (b'{"op": "pause", "length": 900}\n', "'length' must be text"),
        (b'{"op": "add", "target": ["a.example"]}\n', "'target' must be text"),
        (b'{"op": "remove", "target": "alexblog.example.com", "site": 1}\n', "true or false"),
    ):
        (answer,) = answers(raw_exchange(socket_path, payload))
        assert answer["ok"] is False
        assert reason in str(answer["error"])
        assert "\n" not in str(answer["error"])
    assert daemon.process is not None
    assert daemon.process.poll() is None
    assert daemon.status()["pause"]["state"] == "none"
    assert "alexblog.example.com" in daemon.blocked()


# Run as the permitted user: holds as many event streams and byte-a-second requests as it
# can, says when they are open, and at the end how many the daemon closed.
HOLDER = """
import socket, sys, time
path, count = sys.argv[1], int(sys.argv[2])
def connect():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    return sock
streams = [connect() for _ in range(count)]
for sock in streams:
    try:
        sock.sendall(b'{"op": "subscribe"}\\n')
    except OSError:  # past the person's share the daemon refuses at once, and closes
        pass
slow = [connect() for _ in range(count)]
print("holding", flush=True)
request, sent, started = b'{"op": "status"}\\n', 0, time.monotonic()
open_ = set(slow)
while open_ and time.monotonic() - started < 20:
    for sock in list(open_):
        try:
            sock.send(request[sent : sent + 1])  # never the newline within the deadline
        except OSError:
            open_.discard(sock)
    sent += 1
    time.sleep(1)
print(len(slow) - len(open_), flush=True)
sys.stdin.read()
"""


def test_the_person_holding_slow_requests_and_idle_streams_leaves_root_served(
    daemon: SandboxDaemon,
) -> None:
    require_setpriv()
    daemon.start("--user", "nobody")
    with subprocess.Popen(
        [*AS_NOBODY, sys.executable, "-c", HOLDER, str(daemon.folder / "control.sock"), "64"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        try:
            assert holder.stdout.readline().strip() == "holding"
            assert daemon.status()["daemon"]  # root, while the person holds all they may
            wait_for(
                lambda: daemon.cli("status", user=NOBODY).returncode == 0,
                timeout=15,
                what="the person's own fresh request answered",
            )
            assert holder.stdout.readline().strip() == "64"  # every slow one was closed
            assert daemon.status()["daemon"]
        finally:
            holder.kill()
    assert daemon.process is not None
    assert daemon.process.poll() is None


HAMMER = """
import socket, sys, time
started, tries = time.monotonic(), 0
while time.monotonic() - started < 2:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(sys.argv[1])
        sock.recv(4096)
    tries += 1
print(tries)
"""


def test_a_refused_user_hammering_the_socket_writes_only_a_line_or_two(
    daemon: SandboxDaemon,
) -> None:
    require_setpriv()
    daemon.start()
    hammer = subprocess.run(
        [*AS_NOBODY, sys.executable, "-c", HAMMER, str(daemon.folder / "control.sock")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert int(hammer.stdout) > 100, hammer.stderr
    assert daemon.status()["daemon"]
    log = daemon.stop()
    refusals = [line for line in log.splitlines() if "refused" in line]
    assert 1 <= len(refusals) <= 2, refusals
    assert "user id 65534" in refusals[0]
