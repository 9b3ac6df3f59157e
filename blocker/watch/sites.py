"""Count attempts to open a blocked whole site. A blocked name resolves to 0.0.0.0 or ::,
which the kernel delivers to this machine's loopback; a listener there reads the name the
browser asked for (the TLS server name, or the HTTP Host header) and closes at once.

Safe by construction: it listens on loopback only (127.0.0.1 and ::1, never a network
address), only on ports no other program uses, reads at most one small first packet with
a short deadline, never answers, and parses the bytes itself with bounds checks (no TLS
library sees them).
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

READ_LIMIT = 16 * 1024
DEADLINE = 2.0  # seconds a connection may take to say which site it wants
MAX_OPEN = 32
SITE_PORTS = (("127.0.0.1", 443), ("::1", 443), ("127.0.0.1", 80), ("::1", 80))


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
    own thread) for each site asked for. start() and stop() are called from one thread."""

    def __init__(
        self, report: Callable[[str], None], addresses: tuple[tuple[str, int], ...] = SITE_PORTS
    ) -> None:
        self.report = report
        self.selector = selectors.DefaultSelector()
        self.listening: list[tuple[str, int]] = []
        self._stopped = threading.Event()
        self._open: dict[socket.socket, tuple[float, bytearray]] = {}
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
        if self._thread.is_alive():
            self._thread.join()
        for key in list(self.selector.get_map().values()):
            with contextlib.suppress(OSError):
                key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self.selector.select(0.5):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                if sock in self._open:
                    self._read(sock)
                else:
                    self._accept(sock)
            now = time.monotonic()
            for sock, (deadline, _) in list(self._open.items()):
                if now > deadline:
                    self._close(sock)

    def _accept(self, listener: socket.socket) -> None:
        try:
            sock, _ = listener.accept()
        except OSError:
            return
        if len(self._open) >= MAX_OPEN:
            sock.close()
            return
        sock.setblocking(False)
        self._open[sock] = (time.monotonic() + DEADLINE, bytearray())
        self.selector.register(sock, selectors.EVENT_READ)

    def _read(self, sock: socket.socket) -> None:
        _, buffer = self._open[sock]
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
            self.report(name)
        finished = not tls and b"\r\n\r\n" in buffer
        if name or finished or not data or len(buffer) >= READ_LIMIT:
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        self._open.pop(sock, None)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(sock)
        sock.close()
