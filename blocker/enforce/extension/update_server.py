"""The loopback server Chromium installs blocker's extension from.

Chromium honours an off-store force-install on Linux only from an update URL over HTTP
(a `file://` update URL is not fetched), so the daemon serves two read-only documents
on 127.0.0.1: the update manifest (`gupdate` XML) and the CRX it points to. Nothing
else: any other path is 404, any other method 501, and one
request at a time with a short timeout, so a client that stalls holds up only itself
and the next update check, never the daemon's loop.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

from blocker.enforce.extension import CRX_NAME, KEY_NAME, PORT_NAME, Built
from blocker.enforce.extension.signing import ensure_key
from blocker.errors import BlockerError
from blocker.system.atomic import write_atomically

logger = logging.getLogger(__name__)

UPDATES_PATH = "/updates.xml"
CRX_PATH = "/" + CRX_NAME
REQUEST_TIMEOUT = 5.0  # seconds a connection may take to send its request


def quoteattr(value: str) -> str:
    """`value` as a quoted XML attribute (xml.sax.saxutils would import urllib.request,
    http.client and the email package into the daemon for this)."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '"' + escaped.replace('"', "&quot;") + '"'


def update_manifest(extension_id: str, version: str, codebase: str) -> bytes:
    """The update check's answer: this version of the extension is at `codebase`."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n"
        f"  <app appid={quoteattr(extension_id)}>\n"
        f"    <updatecheck codebase={quoteattr(codebase)} version={quoteattr(version)} />\n"
        "  </app>\n"
        "</gupdate>\n"
    ).encode()


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 501: "Not Implemented"}
MAX_HEADER_LINES = 100  # a request's header is a few lines; more is not a browser


class _Documents(socketserver.StreamRequestHandler):
    """One request, answered from two documents. Written on socketserver rather than
    http.server, which would bring the email package and more into a daemon that stays
    resident for weeks (measured: several MB)."""

    timeout = REQUEST_TIMEOUT
    server: _Server

    def handle(self) -> None:
        try:
            request = self.rfile.readline(8192).decode("latin-1").split()
            for _ in range(MAX_HEADER_LINES):  # the header's end, or the client gave up
                if self.rfile.readline(8192) in (b"\r\n", b"\n", b""):
                    break
        except (OSError, UnicodeError):
            return
        if len(request) != 3:
            if request:
                self._send(400)
            return  # an empty connection (the wake-up of `stop`) gets no answer
        method, target, _ = request
        if method not in ("GET", "HEAD"):
            self._send(501)
            return
        # Chromium adds its own query (?x=id%3D...) to the update URL; the path decides.
        document = self.server.documents.get(target.split("?", 1)[0])
        if document is None:
            self._send(404)
            return
        content_type, data = document
        self._send(200, content_type, data if method == "GET" else b"", len(data))

    def _send(
        self, status: int, content_type: str = "text/plain", data: bytes = b"", size: int = 0
    ) -> None:
        head = (
            f"HTTP/1.0 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {size}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):  # the client went away; nothing depends on it
            self.wfile.write(head.encode("latin-1") + data)
        logger.debug("extension server: %s", status)


class _Server(socketserver.TCPServer):
    allow_reuse_address = True
    timeout = None  # handle_request waits for a connection as long as it takes
    documents: dict[str, tuple[str, bytes]]


class ExtensionServer:
    """Serves one built extension on 127.0.0.1. `start` and `stop` are called from one
    thread (the daemon's loop); requests are answered on a thread of the server's own,
    one at a time. Read-only: no request changes anything. Idle, the thread sleeps in
    the kernel until a connection comes: no polling, so no wake-ups."""

    def __init__(self, built: Built, port: int = 0) -> None:
        self.built = built
        self._server = _Server(("127.0.0.1", port), _Documents, bind_and_activate=True)
        self.port: int = self._server.server_address[1]
        self._server.documents = {
            UPDATES_PATH: (
                "text/xml; charset=utf-8",
                update_manifest(built.extension_id, built.version, self.url(CRX_PATH)),
            ),
            CRX_PATH: ("application/x-chrome-extension", built.crx),
        }
        self._thread: threading.Thread | None = None
        self._stopping = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def update_url(self) -> str:
        return self.url(UPDATES_PATH)

    def _serve(self) -> None:
        while not self._stopping:
            self._server.handle_request()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="extension-server", daemon=True)
        self._thread.start()
        logger.info("serving extension %s on %s", self.built.extension_id, self.update_url)

    def stop(self) -> None:
        self._stopping = True
        if self._thread is not None:
            with contextlib.suppress(OSError):  # wake the thread from its wait
                socket.create_connection(("127.0.0.1", self.port), timeout=1.0).close()
            self._thread.join(REQUEST_TIMEOUT + 1)
        self._server.server_close()


def _recorded_port(path: Path) -> int:
    try:
        port = int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return 0
    return port if 1024 <= port <= 65535 else 0


def _build_apart(key: Path, out: Path, xpi: Path | None = None) -> Built:
    """Build in a child process: zipfile and hashlib (which loads OpenSSL) would stay in
    the resident daemon's memory for weeks, about 4.5 MB, for a moment's work at start.
    With `xpi`, the same child writes Firefox's package there."""
    package_root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "blocker.enforce.extension.build", "--key", str(key)]
    if xpi is not None:
        command += ["--xpi", str(xpi)]
    done = subprocess.run(
        [*command, "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )
    if done.returncode != 0:
        raise BlockerError(
            done.stderr.strip() or f"building the extension failed ({done.returncode})"
        )
    facts = json.loads(done.stdout)
    return Built(str(facts["id"]), str(facts["version"]), out.read_bytes())


def serve(state_dir: Path, xpi: Path | None = None) -> ExtensionServer:
    """Build the extension with the machine's key (made on first use) and serve it on the
    port of the last run, so the policy's update URL stays the same across restarts; on a
    new port, recorded, when that one is taken. Raises BlockerError or OSError when it
    cannot (no openssl, no loopback). With `xpi`, Firefox's package is written there too
    (Firefox installs it from the file, not from this server)."""
    built = _build_apart(ensure_key(state_dir / KEY_NAME), state_dir / CRX_NAME, xpi)
    recorded = state_dir / PORT_NAME
    try:
        server = ExtensionServer(built, _recorded_port(recorded))
    except OSError as error:
        logger.warning("the extension's port of the last run is taken (%s); using another", error)
        server = ExtensionServer(built)
    if _recorded_port(recorded) != server.port:
        write_atomically(recorded, f"{server.port}\n".encode(), mode=0o600)
    server.start()
    return server
