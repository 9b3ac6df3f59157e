"""Count attempts to open a blocked whole site. A blocked name resolves to 0.0.0.0 or ::,
which the kernel delivers to this machine's loopback; a listener there reads the name the
browser asked for (the TLS server name, or the HTTP Host header) and closes at once.

Safe by construction: it listens on loopback only (127.0.0.1 and ::1, never a network
address), only on ports no other program uses, reads at most one small first packet with
a short deadline, never answers, and parses the bytes itself with bounds checks (no TLS
library sees them).

Only the person's programs and root's are counted (the users who may talk to the daemon):
another account on the machine must not be able to plant urges in their log. TCP has no
peer credentials, but on loopback both ends are this machine's sockets, and the kernel
lists each with its owner's user id in /proc/net/tcp (and tcp6). Where that table cannot
be read, nothing is counted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

READ_LIMIT = 16 * 1024
DEADLINE = 2.0  # seconds a connection may take to say which site it wants
MAX_OPEN = 32
SITE_PORTS = (("127.0.0.1", 443), ("::1", 443), ("127.0.0.1", 80), ("::1", 80))
PROC_NET = Path("/proc/net")

Endpoint = tuple[bytes, int]  # a packed address (4 or 16 bytes) and a port


def _endpoint(text: str) -> Endpoint:
    """An address:port of /proc/net/tcp: the address is printed as 32-bit words in the
    machine's byte order."""
    host, _, port = text.partition(":")
    raw = bytes.fromhex(host)
    words = [raw[at : at + 4] for at in range(0, len(raw), 4)]
    if sys.byteorder == "little":
        words = [word[::-1] for word in words]
    return b"".join(words), int(port, 16)


def socket_owner(table: str, local: Endpoint, remote: Endpoint) -> int | None:
    """The user id owning the socket at `local` connected to `remote`, as a /proc/net/tcp
    table lists it; None if there is none, or if no process holds it any more (inode 0: a
    closed socket, or one in TIME_WAIT, which the kernel lists as root's)."""
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10:
            continue
        try:
            ends = _endpoint(fields[1]), _endpoint(fields[2])
            uid, inode = int(fields[7]), int(fields[9])
        except ValueError:
            continue
        if ends == (local, remote) and inode != 0:
            return uid
    return None


def can_tell_owners(proc_net: Path = PROC_NET) -> bool:
    """Whether this machine says who holds a loopback connection (Linux's /proc does; its
    tcp6 is missing only where IPv6 is off, and then nothing listens on ::1)."""
    return os.access(proc_net / "tcp", os.R_OK)


def peer_owner(sock: socket.socket, peer: tuple[str, int], proc_net: Path = PROC_NET) -> int | None:
    """The user id of the process at the other end of an accepted loopback connection."""
    family = sock.family
    table = proc_net / ("tcp6" if family == socket.AF_INET6 else "tcp")
    try:
        here = sock.getsockname()
        text = table.read_text(encoding="ascii", errors="replace")
        client = socket.inet_pton(family, peer[0]), peer[1]
        server = socket.inet_pton(family, here[0]), here[1]
    except OSError as error:
        logger.debug("cannot tell who connected from %s: %s", peer, error)
        return None
    return socket_owner(text, client, server)


@dataclass
class _Pending:
    """An accepted connection that has not yet said which site it wants."""

    peer: tuple[str, int]
    deadline: float = field(default_factory=lambda: time.monotonic() + DEADLINE)
    buffer: bytearray = field(default_factory=bytearray)


def server_name(data: bytes) -> str | None:
    """The server name in a TLS ClientHello, or None if `data` is not one (or is cut)."""
    try:
        if data[0] != 0x16 or data[5] != 0x01:  # a handshake record holding a ClientHello
            return None
        at = 5 + 4 + 2 + 32  # handshake header, client version, random
        at += 1 + data[at]  # session id
        at += 2 + int.from_bytes(data[at : at + 2], "big")  # cipher suites
        at += 1 + data[at]  # compression methods
        end = at + 2 + int.from_bytes(data[at : at + 2], "big")
        at += 2
        while at + 4 <= end:
            kind = int.from_bytes(data[at : at + 2], "big")
            size = int.from_bytes(data[at + 2 : at + 4], "big")
            if at + 4 + size > len(data):
                return None  # cut short: wait for more
            if kind == 0:  # server_name: list length, name type, name length, name
                length = int.from_bytes(data[at + 7 : at + 9], "big")
                name = data[at + 9 : at + 9 + length]
                if data[at + 6] != 0 or not name or len(name) != length:
                    return None
                return name.decode("ascii").lower().rstrip(".")
            at += 4 + size
    except (IndexError, UnicodeDecodeError):
        return None
    return None


def http_host(data: bytes) -> str | None:
    """The Host header of a plain HTTP request, without its port."""
    head = data.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"host":
            try:
                return value.strip().decode("ascii").lower().rsplit(":", 1)[0].rstrip(".")
            except UnicodeDecodeError:
                return None
    return None


class SiteAttempts:
    """Listeners on loopback ports 443 and 80; `report(name)` is called (from this class's
    own thread) for each site asked for by a process of one of `allowed_uids`. start() and
    stop() are called from one thread."""

    def __init__(
        self,
        report: Callable[[str], None],
        allowed_uids: frozenset[int],
        addresses: tuple[tuple[str, int], ...] = SITE_PORTS,
        proc_net: Path = PROC_NET,
    ) -> None:
        self.report = report
        self.allowed_uids = allowed_uids
        self.proc_net = proc_net
        self.selector = selectors.DefaultSelector()
        self.listening: list[tuple[str, int]] = []
        self._stopped = threading.Event()
        self._open: dict[socket.socket, _Pending] = {}
        # stop() writes here: the thread then sleeps with no timeout while no connection
        # is open, where a timeout to look at `_stopped` woke it twice a second, for ever.
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self.selector.register(self._wake_read, selectors.EVENT_READ)
        if addresses and not can_tell_owners(proc_net):
            logger.info(
                "not counting site attempts: %s/tcp does not say whose program connects",
                proc_net,
            )
            addresses = ()
        for host, port in addresses:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            listener = socket.socket(family, socket.SOCK_STREAM)
            try:
                listener.bind((host, port))  # no SO_REUSEADDR: a port in use stays theirs
                listener.listen(16)
            except OSError as error:
                logger.info("not counting site attempts on %s port %d: %s", host, port, error)
                listener.close()
                continue
            listener.setblocking(False)
            self.selector.register(listener, selectors.EVENT_READ)
            self.listening.append(listener.getsockname()[:2])
        self._thread = threading.Thread(target=self._serve, name="site-attempts", daemon=True)

    def start(self) -> None:
        if self.listening:
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._wake_write.send(b"x")
        if self._thread.is_alive():
            self._thread.join()
        self._wake_write.close()
        for key in list(self.selector.get_map().values()):
            with contextlib.suppress(OSError):
                key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            deadlines = [pending.deadline for pending in self._open.values()]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for key, _ in self.selector.select(timeout):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                if sock is self._wake_read:
                    continue
                if sock in self._open:
                    self._read(sock)
                else:
                    self._accept(sock)
            now = time.monotonic()
            for sock, pending in list(self._open.items()):
                if now > pending.deadline:
                    self._close(sock)

    def _accept(self, listener: socket.socket) -> None:
        try:
            sock, peer = listener.accept()
        except OSError:
            return
        if len(self._open) >= MAX_OPEN:
            sock.close()
            return
        sock.setblocking(False)
        self._open[sock] = _Pending(peer[:2])
        self.selector.register(sock, selectors.EVENT_READ)

    def _read(self, sock: socket.socket) -> None:
        pending = self._open[sock]
        buffer = pending.buffer
        try:
            data = sock.recv(READ_LIMIT - len(buffer))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        buffer += data
        tls = buffer[:1] == b"\x16"  # by what arrives, not by port: both ports get both
        name = server_name(bytes(buffer)) if tls else http_host(bytes(buffer))
        if name:
            # Asked while the client still waits for an answer, so its socket is listed.
            owner = peer_owner(sock, pending.peer, self.proc_net)
            if owner in self.allowed_uids:
                self.report(name)
            else:
                logger.debug("not counted: user id %s asked for %s", owner, name)
        finished = not tls and b"\r\n\r\n" in buffer
        if name or finished or not data or len(buffer) >= READ_LIMIT:
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        self._open.pop(sock, None)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(sock)
        sock.close()
