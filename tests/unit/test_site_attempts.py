"""Counting attempts to open a blocked site: the name is read from a real TLS ClientHello
(made by Python's ssl module) and from a real HTTP request, over real loopback sockets."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading

from blocker.watch.sites import SiteAttempts, http_host, server_name
from tests.e2e.helpers import wait_for


def client_hello(name: str) -> bytes:
    """The first bytes a TLS client sends for `name`."""
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = context.wrap_bio(incoming, outgoing, server_hostname=name)
    with contextlib.suppress(ssl.SSLWantReadError):  # it waits for the server's answer
        client.do_handshake()
    return outgoing.read()


def test_the_server_name_is_read_from_a_real_client_hello() -> None:
    assert server_name(client_hello("www.AlexBlog.example.com")) == "www.alexblog.example.com"


def test_cut_or_foreign_bytes_give_no_name() -> None:
    hello = client_hello("alexblog.example.com")
    for cut in range(0, len(hello) - 1, 7):
        assert server_name(hello[:cut]) in (None, "alexblog.example.com")
    assert server_name(b"GET / HTTP/1.1\r\n") is None
    assert server_name(b"") is None


def test_the_host_header_is_read_from_a_plain_request() -> None:
    request = b"GET / HTTP/1.1\r\nUser-Agent: x\r\nHost: AlexBlog.example.com:80\r\n\r\n"
    assert http_host(request) == "alexblog.example.com"
    assert http_host(b"GET / HTTP/1.1\r\n\r\n") is None


def test_the_listener_reports_each_site_asked_for_and_closes() -> None:
    seen: list[str] = []
    lock = threading.Lock()

    def report(name: str) -> None:
        with lock:
            seen.append(name)

    attempts = SiteAttempts(report, (("127.0.0.1", 0),))
    attempts.start()
    try:
        host, port = attempts.listening[0]
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(client_hello("alexblog.example.com"))
            assert sock.recv(10) == b""  # closed without an answer
        wait_for(lambda: seen == ["alexblog.example.com"], 5, "the reported name")
        with socket.create_connection((host, port), timeout=5) as idle:
            idle.sendall(b"\x16\x03")  # says too little: closed after the deadline
            assert idle.recv(10) == b""
    finally:
        attempts.stop()


def test_a_port_in_use_is_left_to_its_owner() -> None:
    with socket.socket() as owner:
        owner.bind(("127.0.0.1", 0))
        owner.listen()
        taken = owner.getsockname()[1]
        attempts = SiteAttempts(lambda _name: None, (("127.0.0.1", taken),))
        assert attempts.listening == []
        attempts.stop()
