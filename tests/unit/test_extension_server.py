"""The loopback server Chromium installs blocker's extension from: the two documents,
nothing else, on 127.0.0.1 only, on the same port across restarts."""

from __future__ import annotations

import http.client
import shutil
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.enforce.extension import PORT_NAME, Built
from blocker.enforce.extension.update_server import (
    CRX_PATH,
    UPDATES_PATH,
    ExtensionServer,
    _Documents,
    serve,
    update_manifest,
)

BUILT = Built("abcdefghijklmnopabcdefghijklmnop", "0.1.0", b"Cr24 not really")


@pytest.fixture
def server() -> Iterator[ExtensionServer]:
    running = ExtensionServer(BUILT)
    running.start()
    yield running
    running.stop()


def get(server: ExtensionServer, path: str, method: str = "GET") -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path)
        answer = connection.getresponse()
        return answer.status, answer.read(), answer.getheader("Content-Type") or ""
    finally:
        connection.close()


def test_the_update_manifest_names_the_extension_its_version_and_the_crx(
    server: ExtensionServer,
) -> None:
    # Chromium asks with a query of its own after the path.
    status, body, content_type = get(server, UPDATES_PATH + "?x=id%3Dabc%26v%3D0.0.0.0")
    assert status == 200
    assert content_type.startswith("text/xml")
    namespace = "{http://www.google.com/update2/response}"
    root = ET.fromstring(body)  # noqa: S314 - our own server's answer, not untrusted data
    check = root.find(f"{namespace}app/{namespace}updatecheck")
    assert check is not None
    assert check.get("codebase") == f"http://127.0.0.1:{server.port}{CRX_PATH}"
    assert check.get("version") == "0.1.0"
    assert server.update_url == f"http://127.0.0.1:{server.port}{UPDATES_PATH}"


def test_the_crx_is_served_as_built(server: ExtensionServer) -> None:
    assert get(server, CRX_PATH) == (200, BUILT.crx, "application/x-chrome-extension")
    assert get(server, CRX_PATH, "HEAD")[:2] == (200, b"")


def test_any_other_path_or_method_is_refused(server: ExtensionServer) -> None:
    assert get(server, "/")[0] == 404
    assert get(server, "/../../etc/passwd")[0] == 404
    assert get(server, "/blocker.crx/")[0] == 404
    assert get(server, CRX_PATH, "POST")[0] == 501
    assert get(server, CRX_PATH, "PUT")[0] == 501


def test_it_listens_on_loopback_only(server: ExtensionServer) -> None:
    assert server._server.server_address[0] == "127.0.0.1"


def test_a_stalled_client_does_not_stop_the_next_one(
    server: ExtensionServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Documents, "timeout", 0.3)
    stalled = socket.create_connection(("127.0.0.1", server.port))
    try:
        stalled.sendall(b"GET /upd")  # and nothing more: it times out on its own
        assert get(server, CRX_PATH)[0] == 200
    finally:
        stalled.close()


def test_the_values_are_escaped_in_the_manifest() -> None:
    text = update_manifest("id", "1'2", "http://127.0.0.1:1/a?b=1&c=2").decode()
    root = ET.fromstring(text)  # noqa: S314 - our own text; still well-formed
    assert root.tag.endswith("gupdate")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="Debian's openssl is needed")
def test_the_port_is_kept_across_restarts_and_replaced_when_taken(tmp_path: Path) -> None:
    first = serve(tmp_path)
    port = first.port
    first.stop()
    assert (tmp_path / PORT_NAME).read_text().strip() == str(port)
    again = serve(tmp_path)
    try:
        assert again.port == port
        assert again.built.extension_id == first.built.extension_id  # the same key
        taken = serve(tmp_path)  # the port is held by `again`
        try:
            assert taken.port != port
            assert (tmp_path / PORT_NAME).read_text().strip() == str(taken.port)
        finally:
            taken.stop()
    finally:
        again.stop()
