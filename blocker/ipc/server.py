"""The local request channel between the root daemon and the person's CLI and tray.

One JSON object per line, at most MAX_MESSAGE bytes, never pickle. On Linux and macOS
it is a Unix socket; every connection is authenticated by the peer's credentials as the
kernel reports them (SO_PEERCRED, LOCAL_PEERCRED), so the socket's file mode is not what
keeps other users out. This is the daemon's side: non-blocking and driven by its single
loop thread. The client side, for the CLI and the tray, is client.py.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from blocker.errors import BlockerError
from blocker.ipc.client import DaemonUnreachable, request
from blocker.ipc.protocol import Message, Ping, ProtocolError, decode
from blocker.ipc.refusals import RefusalLog
from blocker.ipc.wire import MAX_ANSWER, MAX_MESSAGE, Op, encode

logger = logging.getLogger(__name__)

# Limits that keep the socket fair. Root is always served: of each kind of connection,
# ROOT_RESERVE places are kept that no other user can take, and each other user has a cap
# of their own, so the person's programs (or a loop of theirs) cannot lock out root, nor
# one permitted user the other.
MAX_REQUESTS = 64  # request connections open at once, all users together
MAX_SUBSCRIBERS = 32  # event streams (a tray holds one)
ROOT_RESERVE = 16
REQUESTS_PER_USER = 16
SUBSCRIBERS_PER_USER = 8
# A request must arrive whole this soon after the connection opened or its previous
# request was answered, so a sender of a byte a second holds a place for two seconds,
# not for ever; and a request connection lasts CONNECTION_SECONDS at most in all.
REQUEST_SECONDS = 2.0
CONNECTION_SECONDS = 10.0
MAX_QUEUED_OUTPUT = 1024 * 1024  # a subscriber that stops reading is dropped past this
# Connections taken from the queue at each wake-up: a loop of connects (from any local
# account: who may ask is known only once accepted) is drained as fast as it comes, so
# root's own connection reaches the front of the queue.
ACCEPTS_PER_WAKE = 256
# Connections waiting to be accepted. Each is accepted (and served or refused) in
# microseconds; a deep queue makes root's connect wait its turn behind another user's
# flood rather than fail. The kernel caps it at net.core.somaxconn.
BACKLOG = socket.SOMAXCONN


def peer_uid(connection: socket.socket) -> int | None:
    """The user id of the process at the other end, as the kernel knows it."""
    platform = sys.platform  # a plain str, so every branch is type-checked on every OS
    if platform.startswith("linux"):
        raw = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return int(struct.unpack("3i", raw)[1])
    return None  # not Linux: nobody is let in


@dataclass
class Connection:
    sock: socket.socket
    uid: int | None
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytearray = field(default_factory=bytearray)
    subscriber: bool = False
    closing: bool = False
    opened: float = field(default_factory=time.monotonic)
    deadline: float = field(default_factory=lambda: time.monotonic() + REQUEST_SECONDS)


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
        self.refusals = RefusalLog()
        self.listener = self._listen()

    def _listen(self) -> socket.socket:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() or self.path.is_symlink():
            with contextlib.suppress(DaemonUnreachable):
                request(self.path, Ping().to_json(), timeout=1.0)
                raise BlockerError(f"another blocker daemon already answers on {self.path}")
            self.path.unlink()  # a socket file left by a daemon that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        # Anyone may connect; who may ask is decided from the peer's credentials.
        self.path.chmod(0o666)
        listener.listen(BACKLOG)
        listener.setblocking(False)
        return listener

    def accept_waiting(self) -> list[Connection]:
        """The connections waiting to be accepted that may be served (up to
        ACCEPTS_PER_WAKE); the others are refused and closed on the way."""
        accepted = []
        for _ in range(ACCEPTS_PER_WAKE):
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                break
            connection = self._admit(sock)
            if connection is not None:
                accepted.append(connection)
        return accepted

    def accept(self) -> Connection | None:
        """One waiting connection, if it may be served."""
        try:
            sock, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return None
        return self._admit(sock)

    def _admit(self, sock: socket.socket) -> Connection | None:
        sock.setblocking(False)
        connection = Connection(sock, peer_uid(sock))
        if connection.uid is not None and connection.uid not in self.allowed_uids:
            self._refuse(connection, "this user may not control blocker")
            return None
        self.sweep()  # places held past their deadline are free for this one
        if not self._has_room(connection.uid, subscriber=False):
            self._refuse(connection, "the daemon is busy; try again")
            return None
        self.connections[sock.fileno()] = connection
        return connection

    def _has_room(self, uid: int | None, subscriber: bool) -> bool:
        """Whether `uid` may open one more connection of this kind (root has its reserve)."""
        same_kind = [c for c in self.connections.values() if c.subscriber == subscriber]
        total = MAX_SUBSCRIBERS if subscriber else MAX_REQUESTS
        if uid == 0:
            return len(same_kind) < total
        per_user = SUBSCRIBERS_PER_USER if subscriber else REQUESTS_PER_USER
        theirs = sum(1 for c in same_kind if c.uid == uid)
        not_root = sum(1 for c in same_kind if c.uid != 0)
        return theirs < per_user and not_root < total - ROOT_RESERVE

    def _refuse(self, connection: Connection, reason: str) -> None:
        self.refusals.refused(connection.uid, reason, time.monotonic())
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
        connection.inbox += data
        self._answer_waiting(connection)
        if len(connection.inbox) > MAX_MESSAGE:
            connection.closing = True
            connection.inbox.clear()
            self._reply(
                connection, {"ok": False, "error": f"a request is at most {MAX_MESSAGE} bytes"}
            )

    def _answer_waiting(self, connection: Connection) -> None:
        """Answer the requests that arrived, one at a time: the next only once the last
        answer is sent, so a client that sends many and reads none holds one answer in
        the daemon's memory, not thousands, and gets no more of its time than that."""
        while b"\n" in connection.inbox and not connection.closing and not connection.outbox:
            line, _, rest = bytes(connection.inbox).partition(b"\n")
            connection.inbox = bytearray(rest)
            self._answer(connection, line)
            now = time.monotonic()
            connection.deadline = min(now + REQUEST_SECONDS, connection.opened + CONNECTION_SECONDS)

    def _answer(self, connection: Connection, line: bytes) -> None:
        if len(line) > MAX_MESSAGE:
            connection.closing = True
            self._reply(connection, {"ok": False, "error": "request too large"})
            return
        try:
            message = decode(line)
        except ProtocolError as error:
            self._reply(connection, {"ok": False, "error": f"bad request: {error}"})
            return
        subscribing = message["op"] == Op.SUBSCRIBE and not connection.subscriber
        if subscribing and not self._has_room(connection.uid, subscriber=True):
            reason = "too many event streams are open; close a tray first"
            self.refusals.refused(connection.uid, reason, time.monotonic())
            connection.closing = True  # first: the reply, once written, then closes
            self._reply(connection, {"ok": False, "error": reason})
            return
        try:
            answer = self.handle(message, connection)
        except Exception:
            # A bug in one handler must not end the daemon: the block, the repairs and
            # everyone else's requests go on, and the traceback is in the journal.
            logger.exception("internal error answering a %r request", message["op"][:40])
            answer = {"ok": False, "error": "internal error; the daemon logged it"}
        self._reply(connection, answer)

    def _reply(self, connection: Connection, message: Message) -> None:
        connection.outbox += encode(message)
        # An answer is read whole (a long log export), events only while they are news.
        most = MAX_QUEUED_OUTPUT if connection.subscriber else MAX_ANSWER
        if len(connection.outbox) > most:
            logger.info("dropped a client that stopped reading")
            self.close(connection)
            return
        self._send(connection)

    def writable(self, connection: Connection) -> None:
        """The connection can take more: send, and once its answer is out, answer the
        next request that waits."""
        self._send(connection)
        if not connection.outbox and not connection.closing:
            self._answer_waiting(connection)

    def _send(self, connection: Connection) -> None:
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
        """Close request connections past their deadline; say the refusals counted."""
        now = time.monotonic()
        for connection in list(self.connections.values()):
            # An answer still being read (a long log export) has the connection's whole
            # lifetime; the short deadline is for requests on their way in.
            ends = connection.opened + CONNECTION_SECONDS if connection.outbox else None
            if not connection.subscriber and now > (ends or connection.deadline):
                self.close(connection)
        self.refusals.flush(now)

    def close(self, connection: Connection) -> None:
        connection.closing = True  # nothing more is read or answered on it
        connection.inbox.clear()
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
