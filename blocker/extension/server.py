"""The loopback server Chromium installs blocker's extension from.

Chromium honours an off-store force-install on Linux only from an update URL over HTTP
(a `file://` update URL is not fetched), so the daemon serves two read-only documents
on 127.0.0.1: the update manifest (`gupdate` XML) and the CRX it points to. Nothing
else: any other path is 404, any other method 501 (http.server's own answer), and one
request at a time with a short timeout, so a client that stalls holds up only itself
and the next update check, never the daemon's loop.
"""

from __future__ import annotations

import http.server
import logging
import threading
from pathlib import Path
from xml.sax.saxutils import quoteattr

from blocker.atomic import write_atomically
from blocker.extension.build import CRX_NAME, Built, build
from blocker.extension.signing import ensure_key

logger = logging.getLogger(__name__)

UPDATES_PATH = "/updates.xml"
CRX_PATH = "/" + CRX_NAME
REQUEST_TIMEOUT = 5.0  # seconds a connection may take to send its request


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


class _Documents(http.server.BaseHTTPRequestHandler):
    timeout = REQUEST_TIMEOUT
    server: _Server

    def _answer(self, body: bool) -> None:
        # Chromium adds its own query (?x=id%3D...) to the update URL; the path decides.
        document = self.server.documents.get(self.path.split("?", 1)[0])
        if document is None:
            self.send_error(404)
            return
        content_type, data = document
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("extension server: " + format, *args)


class _Server(http.server.HTTPServer):
    documents: dict[str, tuple[str, bytes]]


class ExtensionServer:
    """Serves one built extension on 127.0.0.1. `start` and `stop` are called from one
    thread (the daemon's loop); requests are answered on a thread of the server's own,
    one at a time. Read-only: no request changes anything."""

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

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def update_url(self) -> str:
        return self.url(UPDATES_PATH)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="extension-server", daemon=True
        )
        self._thread.start()
        logger.info("serving extension %s on %s", self.built.extension_id, self.update_url)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(REQUEST_TIMEOUT + 1)
        self._server.server_close()


KEY_NAME = "extension-key.pem"
PORT_NAME = "extension-port"


def _recorded_port(path: Path) -> int:
    try:
        port = int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return 0
    return port if 1024 <= port <= 65535 else 0


def serve(state_dir: Path) -> ExtensionServer:
    """Build the extension with the machine's key (made on first use) and serve it on the
    port of the last run, so the policy's update URL stays the same across restarts; on a
    new port, recorded, when that one is taken. Raises BlockerError or OSError when it
    cannot (no openssl, no loopback)."""
    built = build(ensure_key(state_dir / KEY_NAME))
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
