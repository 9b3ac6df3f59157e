"""Counting attempts to open a blocked site: the name is read from a real TLS ClientHello
(made by Python's ssl module) and from a real HTTP request, over real loopback sockets."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import sys
import threading
import time
from pathlib import Path

import pytest

from blocker.cli import doctor
from blocker.watch.sites import SiteAttempts, can_tell_owners, http_host, server_name, socket_owner
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

    attempts = SiteAttempts(report, frozenset({os.getuid()}), (("127.0.0.1", 0),))
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
        attempts = SiteAttempts(lambda _name: None, frozenset({0}), (("127.0.0.1", taken),))
        assert attempts.listening == []
        attempts.stop()


# /proc/net/tcp as a little-endian Linux prints it: 127.0.0.1 is 0100007F. The listener
# at 127.0.0.1:443 (root's), a browser of user 1000 at port 41000 connected to it, and a
# socket of user 1000 at port 41001 that was closed and now waits in TIME_WAIT (inode 0,
# which the kernel lists as root's).
PROC_NET_TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1065 1 0
   1: 0100007F:A028 0100007F:01BB 01 00000000:00000000 00:00000000 00000000  1000        0 2201 1 0
   2: 0100007F:01BB 0100007F:A028 01 00000000:00000000 00:00000000 00000000     0        0 2202 1 0
   3: 0100007F:A029 0100007F:01BB 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0
"""
PROC_NET_TCP6 = """\
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:A028 00000000000000000000000001000000:0050 01 00000000:00000000 00:00000000 00000000 65534        0 3301 1 0
"""  # noqa: E501
LOOPBACK = socket.inet_pton(socket.AF_INET, "127.0.0.1")
LOOPBACK6 = socket.inet_pton(socket.AF_INET6, "::1")
little_endian = pytest.mark.skipif(sys.byteorder != "little", reason="the tables are x86's")


@little_endian
def test_the_owner_of_the_other_end_is_read_from_the_kernels_table() -> None:
    assert socket_owner(PROC_NET_TCP, (LOOPBACK, 41000), (LOOPBACK, 443)) == 1000
    assert socket_owner(PROC_NET_TCP, (LOOPBACK, 443), (LOOPBACK, 41000)) == 0
    assert socket_owner(PROC_NET_TCP6, (LOOPBACK6, 41000), (LOOPBACK6, 80)) == 65534


@little_endian
def test_a_socket_no_process_holds_or_that_is_not_listed_has_no_owner() -> None:
    assert socket_owner(PROC_NET_TCP, (LOOPBACK, 41001), (LOOPBACK, 443)) is None
    assert socket_owner(PROC_NET_TCP, (LOOPBACK, 41002), (LOOPBACK, 443)) is None
    assert socket_owner(PROC_NET_TCP, (LOOPBACK, 41000), (LOOPBACK, 80)) is None
    garbage = "header\n  0: garbage here\n  1: " + "x " * 12
    assert socket_owner(garbage, (LOOPBACK, 1), (LOOPBACK, 2)) is None


def test_a_connection_from_a_user_not_allowed_is_not_reported() -> None:
    seen: list[str] = []
    attempts = SiteAttempts(seen.append, frozenset({os.getuid() + 1}), (("127.0.0.1", 0),))
    attempts.start()
    try:
        with socket.create_connection(attempts.listening[0], timeout=5) as sock:
            sock.sendall(client_hello("alexblog.example.com"))
            assert sock.recv(10) == b""  # read, judged and closed
        assert seen == []
    finally:
        attempts.stop()


def test_where_the_kernel_does_not_say_who_connects_nothing_is_counted(tmp_path: Path) -> None:
    attempts = SiteAttempts(lambda _name: None, frozenset({0}), (("127.0.0.1", 0),), tmp_path)
    assert attempts.listening == []
    attempts.stop()
    assert not can_tell_owners(tmp_path)


def test_doctor_says_attempts_are_not_counted_where_the_system_does_not_say_who_connects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(doctor, "can_tell_owners", lambda: False)
    layer = doctor._site_attempts_layer(system=True)
    assert not layer.works
    assert "not counted" in layer.detail
    monkeypatch.setattr(doctor, "can_tell_owners", lambda: True)
    assert doctor._site_attempts_layer(system=True).works
    # A sandbox's hosts file sends nothing to this machine: nothing there to count.
    assert not doctor._site_attempts_layer(system=False).works


def thread_wakeups(native_id: int) -> int:
    """How often a thread of this process has gone to sleep and woken since it began."""
    status = Path(f"/proc/self/task/{native_id}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("voluntary_ctxt_switches"))
    return int(line.split()[1])


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads Linux's /proc")
def test_the_listener_sleeps_without_waking_while_no_one_connects_and_still_stops() -> None:
    attempts = SiteAttempts(lambda _name: None, frozenset({0}), (("127.0.0.1", 0),))
    attempts.start()
    try:
        native_id = attempts._thread.native_id
        assert native_id is not None
        time.sleep(0.2)  # past its start
        before = thread_wakeups(native_id)
        time.sleep(2)
        assert thread_wakeups(native_id) - before <= 1  # a poll every 0.5 s would be 4
    finally:
        attempts.stop()
    assert not attempts._thread.is_alive()
