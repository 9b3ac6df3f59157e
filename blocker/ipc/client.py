"""The person's side of the control channel: one request, or the stream of events.

Kept apart from the daemon's side (server.py) and light on purpose: `blocker status`
imports this and little else, so that asking the daemon costs about as much as starting
Python. Plain blocking calls, for the CLI and the tray's threads. It talks through
`_socket`, the C module that `socket` wraps, because importing `socket` builds enum
classes for every constant the platform has: 2.8 ms of the 26 to 32 ms `blocker status
--json` takes (measured: the benchmark's cli_start_ratio goes from 2.2 to 2.25-2.5 with
`import socket`, and past its target of 2.5 together with importing typing).
"""

from __future__ import annotations

import _socket  # the C module under `socket`; see below
import contextlib
import errno
import json
import time

from blocker.errors import BlockerError
from blocker.ipc.wire import MAX_ANSWER, Op, encode

QUEUE_FULL_RETRY = 0.01  # seconds between tries while the daemon's queue is full

# Not `from typing import TYPE_CHECKING`: no module `blocker status` loads imports typing,
# which would add 2.8 ms to its start (measured: the benchmark's cli_start_ratio goes from
# 2.2 to 2.3-2.4, and past its target of 2.5 together with `import socket`). mypy and ruff
# take any name TYPE_CHECKING as true; the start-up test in tests/e2e/test_daemon.py
# fails if typing comes back.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterator
    from os import PathLike
    from typing import Any

    Message = dict[str, Any]


class DaemonUnreachable(BlockerError):
    """No daemon answers on the socket."""


def _connect(path: str | PathLike[str], timeout: float | None) -> _socket.socket:
    # A daemon whose queue of connections is full (a loop of connects from some local
    # program) refuses at once; it drains the queue as fast as it can, so wait our turn.
    give_up = time.monotonic() + (5.0 if timeout is None else timeout)
    while True:
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except BlockingIOError:
            sock.close()
            if time.monotonic() > give_up:
                raise DaemonUnreachable(
                    "the blocker daemon is too busy to take the connection; try again"
                ) from None
            time.sleep(QUEUE_FULL_RETRY)
            continue
        except OSError as error:
            sock.close()
            if error.errno in (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK):
                raise DaemonUnreachable(
                    "the blocker daemon is not running; start it with `sudo blocker daemon` "
                    "(or install it as a service with `sudo blocker service install`)"
                ) from None
            if error.errno in (errno.EACCES, errno.EPERM):
                raise DaemonUnreachable(
                    f"cannot reach the daemon at {path}: permission denied"
                ) from None
            raise
        return sock


class _Lines:
    """The daemon's messages, one JSON object per line, each at most MAX_ANSWER bytes."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.searched = 0  # the buffer holds no newline before this

    def next(self) -> Message:
        while (end := self.buffer.find(b"\n", self.searched)) < 0:
            if len(self.buffer) > MAX_ANSWER:
                raise DaemonUnreachable("the blocker daemon sent an answer too long to read")
            self.searched = len(self.buffer)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise DaemonUnreachable("the blocker daemon closed the connection")
            self.buffer += chunk
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        self.searched = 0
        message: Message = json.loads(line)
        return message


def request(path: str | PathLike[str], message: Message, timeout: float = 5.0) -> Message:
    """Send one request and return the daemon's answer (`ok` is False on a refusal)."""
    sock = _connect(path, timeout)
    try:
        # A refusing daemon answers at once and closes, maybe before our request is out:
        # its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(encode(message))
        return _Lines(sock).next()
    except TimeoutError:
        raise DaemonUnreachable("the blocker daemon did not answer in time") from None
    except (ConnectionResetError, json.JSONDecodeError) as error:
        raise DaemonUnreachable(f"the connection to the daemon broke ({error})") from None
    finally:
        sock.close()


class Subscription:
    """The daemon's messages as they come, as an iterator: first the answer to subscribing
    (with the status), then each event. It ends when the daemon goes away, or once
    close() was called, from any thread."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self._sock = _connect(path, 5.0)
        try:
            self._sock.sendall(encode({"op": Op.SUBSCRIBE}))
        except OSError:
            self._sock.close()
            raise
        self._sock.settimeout(None)
        self._lines = _Lines(self._sock)
        self._closed = False

    def __iter__(self) -> Iterator[Message]:
        return self

    def __next__(self) -> Message:
        try:
            if not self._closed:
                return self._lines.next()
        except (DaemonUnreachable, OSError, json.JSONDecodeError):
            pass
        self._sock.close()  # here, by the reading thread: no read is left to wake
        raise StopIteration

    def __del__(self) -> None:
        # A stream nobody reads to its end (a test's, a host that quit) still lets its
        # socket go, as the generator this class replaced did when it was collected.
        sock = getattr(self, "_sock", None)  # None: the connection was never made
        if sock is not None:
            sock.close()

    def close(self) -> None:
        """End the stream: a thread waiting for the next message wakes and sees the end.
        The socket is shut down, not closed, so that its number cannot be reused by
        another file while that thread still reads from it."""
        self._closed = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(_socket.SHUT_RDWR)


def subscribe(path: str | PathLike[str]) -> Subscription:
    """Events from the daemon as they happen (DaemonUnreachable if none answers)."""
    return Subscription(path)
