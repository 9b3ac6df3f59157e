"""A daemon's loop and control socket in this process, on a thread of its own, for the
unit tests that drive it through blocker.ipc.client (and the CLI, the tray and the native
host, which are its clients).

Daemon.serve is the loop; run() adds the signal handlers, which only the main thread may
set. The socket still checks each peer's credentials: the tests' daemon accepts its own
user, as `blocker --sandbox DIR daemon` does, and the tests are that user."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from blocker.blocklist.browser_catalog import Browser
from blocker.blocklist.catalog_file import shipped_catalog
from blocker.daemon.engine import Engine
from blocker.daemon.loop import Daemon
from blocker.hosts.hoststext import blocked_names
from blocker.ipc import client
from blocker.ipc.protocol import Message
from blocker.system.paths import Paths
from tests.helpers import NOW, ZONE, FakeClocks

ANSWER_SECONDS = 10.0  # generous: two cores shared with other test runs


@dataclass
class Running:
    paths: Paths
    daemon: Daemon
    thread: threading.Thread

    def ask(self, **message: object) -> Message:
        return client.request(self.paths.socket, dict(message), timeout=ANSWER_SECONDS)

    def status(self) -> Message:
        answer = self.ask(op="status")
        assert answer["ok"] is True
        status: Message = answer["status"]
        return status

    def blocked(self) -> frozenset[str]:
        return blocked_names(self.paths.hosts.read_text())

    def send_raw(self, data: bytes) -> list[Message]:
        """Send bytes as they are, not as the client would, and read what comes back until
        the daemon closes or a line is answered."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
            raw.settimeout(ANSWER_SECONDS)
            raw.connect(str(self.paths.socket))
            raw.sendall(data)
            received = b""
            while b"\n" not in received:
                chunk = raw.recv(65536)
                if not chunk:
                    break
                received += chunk
        return [json.loads(line) for line in received.splitlines()]

    def stop(self) -> None:
        self.daemon.stop()
        self.thread.join(ANSWER_SECONDS)
        assert not self.thread.is_alive(), "the loop did not stop"


def start_daemon(
    paths: Paths, allowed_uids: frozenset[int], browsers: tuple[Browser, ...] = ()
) -> Running:
    """A daemon keeping the block of `paths`, its clocks stopped at tests.helpers.NOW."""
    made: list[Daemon] = []
    ready = threading.Event()

    def keep_the_block() -> None:
        # The engine is made on the thread that runs the loop, as in the daemon's process:
        # its urge log (SQLite) serves the thread that opened it.
        engine = Engine(
            paths, shipped_catalog(), ZONE, frozenset(), FakeClocks(NOW), browsers=browsers
        )
        made.append(Daemon(engine, paths.socket, allowed_uids))
        ready.set()
        made[0].serve()

    thread = threading.Thread(target=keep_the_block, name="daemon-loop", daemon=True)
    thread.start()
    assert ready.wait(ANSWER_SECONDS), "the daemon did not start"
    return Running(paths, made[0], thread)


def wait_until(condition: Callable[[], bool], what: str = "it") -> None:
    """For what another thread does: the daemon's loop, a client following it."""
    deadline = time.monotonic() + ANSWER_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen in time"
        time.sleep(0.02)
