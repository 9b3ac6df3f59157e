"""A local HTTPS server that stands in for a social site (instagram.com and its aliases
reach it through Chromium's `--host-resolver-rules`), and remembers every path it was
asked for, so a test can tell which pages a browser really requested."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.helpers import local_server


@dataclass
class FakeSite:
    port: int
    requested: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resolver_rules(self, *names: str) -> str:
        """Chromium's flag that sends `names` (and their subdomains) here; every other
        name goes through the resolver, and so through the hosts file."""
        rules = [f"MAP {n} 127.0.0.1:{self.port}, MAP *.{n} 127.0.0.1:{self.port}" for n in names]
        return "--host-resolver-rules=" + ", ".join(rules)

    def seen(self) -> list[str]:
        """The pages asked for, in order (a browser's own favicon fetches left out)."""
        with self.lock:
            return [path for path in self.requested if path != "/favicon.ico"]

    def forget(self) -> None:
        with self.lock:
            self.requested.clear()


def _self_signed_certificate(folder: Path) -> ssl.SSLContext:
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes"),
            *("-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    return tls


@contextlib.contextmanager
def fake_site(pages: dict[str, str] | None = None) -> Iterator[FakeSite]:
    """Serves `pages[path]` where given, else a page whose title is its own path."""
    if shutil.which("openssl") is None:
        pytest.skip("Debian's openssl is needed (scripts/test installs it)")
    served: dict[str, str] = pages or {}
    site = FakeSite(0)

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                site.requested.append(self.path)
            path = self.path.split("?", 1)[0]
            body = served.get(path, f"<html><head><title>{path}</title></head><body>{path}</body>")
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            return

    with tempfile.TemporaryDirectory() as folder:
        tls = _self_signed_certificate(Path(folder))
        with local_server(Page, tls) as port:
            site.port = port
            yield site
