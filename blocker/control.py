"""The local request channel between the root daemon and the person's CLI and tray.

One JSON object per line, at most MAX_MESSAGE bytes, never pickle. On Linux and macOS
it is a Unix socket; every connection is authenticated by the peer's credentials as the
kernel reports them (SO_PEERCRED, LOCAL_PEERCRED), so the socket's file mode is not what
keeps other users out. This is the daemon's side: non-blocking and driven by its single
loop thread. The client side, for the CLI and the tray, is client.py.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blocker.client import MAX_MESSAGE, DaemonUnreachable, encode, request
from blocker.errors import BlockerError

logger = logging.getLogger(__name__)

MAX_CONNECTIONS = 64
IDLE_SECONDS = 10.0  # a request connection that says nothing for this long is closed
MAX_QUEUED_OUTPUT = 1024 * 1024  # a subscriber that stops reading is dropped past this

Message = dict[str, Any]


class ProtocolError(ValueError):
    pass


def decode(line: bytes) -> Message:
    try:
        message = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError('expected an object with "op"')
    return message


def peer_uid(connection: socket.socket) -> int | None:
    """The user id of the process at the other end, as the kernel knows it."""
    platform = sys.platform  # a plain str, so every branch is type-checked on every OS
    if platform.startswith("linux"):
        raw = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return int(struct.unpack("3i", raw)[1])
    if platform == "darwin":
        local_peercred, sol_local = 0x001, 0  # <sys/un.h>: struct xucred {u_int version; uid}
        raw = connection.getsockopt(sol_local, local_peercred, struct.calcsize("2I"))
        return int(struct.unpack("2I", raw[: struct.calcsize("2I")])[1])
    return None


@dataclass
class Connection:
    sock: socket.socket
    uid: int | None
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytearray = field(default_factory=bytearray)
    subscriber: bool = False
    closing: bool = False
    last_seen: float = field(default_factory=time.monotonic)


Handler = Callable[[Message, Connection], Message]


class Server:
    """Accepts, authenticates and answers connections. Only the daemon's loop thread calls
    its methods; none of them blocks."""

    def __init__(
        self,
        path: Path,
        allowed_uids: frozenset[int],
        handle: Handler,
        on_close: Callable[[Connection], None] = lambda _connection: None,
    ) -> None:
        self.path = path
        self.on_close = on_close  # told before a connection's socket is closed
        self.allowed_uids = allowed_uids
        self.handle = handle
        self.connections: dict[int, Connection] = {}
        self.listener = self._listen()

    def _listen(self) -> socket.socket:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() or self.path.is_symlink():
            with contextlib.suppress(DaemonUnreachable):
                request(self.path, {"op": "ping"}, timeout=1.0)
                raise BlockerError(f"another blocker daemon already answers on {self.path}")
            self.path.unlink()  # a socket file left by a daemon that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        # Anyone may connect; who may ask is decided from the peer's credentials.
        self.path.chmod(0o666)
        listener.listen(MAX_CONNECTIONS)
        listener.setblocking(False)
        return listener

    def accept(self) -> Connection | None:
        try:
            sock, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return None
        sock.setblocking(False)
        connection = Connection(sock, peer_uid(sock))
        if len(self.connections) >= MAX_CONNECTIONS:
            self._refuse(connection, "the daemon is busy; try again")
            return None
        if connection.uid is not None and connection.uid not in self.allowed_uids:
            logger.warning("refused a request from user id %s", connection.uid)
            self._refuse(connection, "this user may not control blocker")
            return None
        self.connections[sock.fileno()] = connection
        return connection

    def _refuse(self, connection: Connection, reason: str) -> None:
        with contextlib.suppress(OSError):
            connection.sock.send(encode({"ok": False, "error": reason}))
        connection.sock.close()

    def readable(self, connection: Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            # The client is done sending; answers still queued are delivered first.
            connection.closing = True
            if not connection.outbox:
                self.close(connection)
            return
        connection.last_seen = time.monotonic()
        connection.inbox += data
        while b"\n" in connection.inbox and not connection.closing:
            line, _, rest = bytes(connection.inbox).partition(b"\n")
            connection.inbox = bytearray(rest)
            self._answer(connection, line)
        if len(connection.inbox) > MAX_MESSAGE:
            self._reply(
                connection, {"ok": False, "error": f"a request is at most {MAX_MESSAGE} bytes"}
            )
            connection.closing = True
            connection.inbox.clear()

    def _answer(self, connection: Connection, line: bytes) -> None:
        if len(line) > MAX_MESSAGE:
            self._reply(connection, {"ok": False, "error": "request too large"})
            connection.closing = True
            return
        try:
            message = decode(line)
        except ProtocolError as error:
            self._reply(connection, {"ok": False, "error": f"bad request: {error}"})
            return
        self._reply(connection, self.handle(message, connection))

    def _reply(self, connection: Connection, message: Message) -> None:
        connection.outbox += encode(message)
        if len(connection.outbox) > MAX_QUEUED_OUTPUT:
            logger.info("dropped a client that stopped reading")
            self.close(connection)
            return
        self.writable(connection)

    def writable(self, connection: Connection) -> None:
        try:
            sent = connection.sock.send(connection.outbox) if connection.outbox else 0
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close(connection)
            return
        del connection.outbox[:sent]
        if connection.closing and not connection.outbox:
            self.close(connection)

    def broadcast(self, event: Message) -> None:
        for connection in [c for c in self.connections.values() if c.subscriber]:
            self._reply(connection, event)

    def sweep(self) -> None:
        """Close request connections that have said nothing for too long."""
        deadline = time.monotonic() - IDLE_SECONDS
        for connection in list(self.connections.values()):
            if not connection.subscriber and connection.last_seen < deadline:
                self.close(connection)

    def close(self, connection: Connection) -> None:
        if self.connections.pop(connection.sock.fileno(), None) is not None:
            self.on_close(connection)
        with contextlib.suppress(OSError):
            connection.sock.close()

    def shutdown(self) -> None:
        for connection in list(self.connections.values()):
            self.close(connection)
        self.listener.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
