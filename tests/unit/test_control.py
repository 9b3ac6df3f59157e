"""The daemon's side of the socket, driven by hand over real Unix sockets: a bug in one
handler is logged and answered, each user has a cap, root a reserve no one else can take,
and slow requests lose their place."""

from __future__ import annotations

import _socket
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.ipc import server as control
from blocker.ipc.protocol import Message
from blocker.ipc.refusals import RefusalLog

PERSON, OTHER, THIRD, FOURTH = 1000, 1001, 1002, 1003


def handle(message: Message, connection: control.Connection) -> Message:
    if message["op"] == "boom":
        raise KeyError("a bug")
    if message["op"] == "subscribe":
        connection.subscriber = True
    return {"ok": True}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[control.Server]:
    running = control.Server(
        tmp_path / "control.sock", frozenset({0, PERSON, OTHER, THIRD, FOURTH}), handle
    )
    yield running
    running.shutdown()


class Peers:
    """Connects as whichever user id the test says (the kernel would say root)."""

    def __init__(self, server: control.Server, monkeypatch: pytest.MonkeyPatch) -> None:
        self.server = server
        self.uid = 0
        self.clients: list[socket.socket] = []
        monkeypatch.setattr(control, "peer_uid", lambda _sock: self.uid)

    def connect(self, uid: int) -> tuple[socket.socket, control.Connection | None]:
        self.uid = uid
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(5)
        client.connect(str(self.server.path))
        self.clients.append(client)
        return client, self.server.accept()

    def ask(self, client: socket.socket, connection: control.Connection, line: bytes) -> object:
        client.sendall(line)
        self.server.readable(connection)
        return json.loads(client.recv(65536).splitlines()[0])


@pytest.fixture
def peers(server: control.Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Peers]:
    made = Peers(server, monkeypatch)
    yield made
    for client in made.clients:
        client.close()


def refusal(client: socket.socket) -> str:
    return str(json.loads(client.recv(65536))["error"])


def test_a_handler_that_raises_is_logged_with_its_traceback_and_answered(
    peers: Peers, caplog: pytest.LogCaptureFixture
) -> None:
    client, connection = peers.connect(PERSON)
    assert connection is not None
    with caplog.at_level(logging.ERROR, logger="blocker.ipc.server"):
        answer = peers.ask(client, connection, b'{"op": "boom"}\n')
    assert answer == {"ok": False, "error": "internal error; the daemon logged it"}
    (record,) = caplog.records
    assert record.exc_info is not None
    assert "'boom'" in record.getMessage()
    assert peers.ask(client, connection, b'{"op": "ping"}\n') == {"ok": True}


def test_each_user_has_a_cap_and_root_a_reserve_that_other_users_cannot_take(
    peers: Peers,
) -> None:
    for uid in (PERSON, OTHER, THIRD):
        for _ in range(control.REQUESTS_PER_USER):
            assert peers.connect(uid)[1] is not None
    client, refused = peers.connect(PERSON)
    assert refused is None
    assert refusal(client) == "the daemon is busy; try again"
    # A fourth user has taken nothing yet, but what is left is root's reserve.
    client, refused = peers.connect(FOURTH)
    assert refused is None
    for _ in range(control.ROOT_RESERVE):
        assert peers.connect(0)[1] is not None
    client, refused = peers.connect(0)
    assert refused is None  # every place is taken; a place is one file descriptor
    assert refusal(client) == "the daemon is busy; try again"


def test_subscribers_have_their_own_cap_and_leave_requests_their_places(peers: Peers) -> None:
    for _ in range(control.SUBSCRIBERS_PER_USER):
        client, connection = peers.connect(PERSON)
        assert connection is not None
        assert peers.ask(client, connection, b'{"op": "subscribe"}\n') == {"ok": True}
    client, connection = peers.connect(PERSON)
    assert connection is not None
    answer = peers.ask(client, connection, b'{"op": "subscribe"}\n')
    assert answer == {
        "ok": False,
        "error": "too many event streams are open; close a tray first",
    }
    assert client.recv(10) == b""  # and closed
    for _ in range(control.REQUESTS_PER_USER):
        assert peers.connect(PERSON)[1] is not None
    client, connection = peers.connect(0)
    assert connection is not None
    assert peers.ask(client, connection, b'{"op": "subscribe"}\n') == {"ok": True}


def test_a_request_that_does_not_arrive_whole_in_time_loses_its_place(
    peers: Peers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(control, "REQUEST_SECONDS", 0.2)
    slow, connection = peers.connect(PERSON)
    quick, answered = peers.connect(PERSON)
    assert connection is not None
    assert answered is not None
    slow.sendall(b'{"op": "pi')
    peers.server.readable(connection)
    time.sleep(0.1)
    assert peers.ask(quick, answered, b'{"op": "ping"}\n') == {"ok": True}
    time.sleep(0.15)
    peers.server.sweep()
    assert slow.recv(10) == b""
    assert answered.sock.fileno() in peers.server.connections  # its deadline moved on
    time.sleep(0.1)
    peers.server.sweep()
    assert quick.recv(10) == b""


def test_refusals_are_logged_once_a_minute_per_user_with_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = RefusalLog()
    with caplog.at_level(logging.WARNING, logger="blocker.ipc.refusals"):
        for second in range(10_000):
            log.refused(65534, "this user may not control blocker", second / 1000)
        log.refused(1001, "this user may not control blocker", 5.0)
        log.flush(30.0)
        log.flush(61.0)
    assert [r.getMessage() for r in caplog.records] == [
        "refused a connection from user id 65534: this user may not control blocker",
        "refused a connection from user id 1001: this user may not control blocker",
        "refused 9999 connections from user id 65534 in the last minute: "
        "this user may not control blocker",
    ]


def test_an_answer_still_being_read_keeps_its_connection_past_the_request_deadline(
    peers: Peers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(control, "REQUEST_SECONDS", 0.05)
    _, connection = peers.connect(PERSON)
    assert connection is not None
    connection.outbox += b"x" * 100  # as if the socket's buffer were full
    time.sleep(0.1)
    peers.server.sweep()
    assert connection.sock.fileno() in peers.server.connections
    monkeypatch.setattr(control, "CONNECTION_SECONDS", 0.05)
    peers.server.sweep()
    assert connection.sock.fileno() not in peers.server.connections


def test_a_client_that_sends_many_requests_and_reads_none_is_answered_one_at_a_time(
    peers: Peers, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[str] = []

    def big_answer(message: Message, _connection: control.Connection) -> Message:
        answered.append(str(message["op"]))
        # More than the kernel buffers at once, and more than a subscriber may fall
        # behind: an answer (a long log export) is delivered whole all the same.
        return {"ok": True, "rows": "x" * 1_500_000}

    monkeypatch.setattr(peers.server, "handle", big_answer)
    client, connection = peers.connect(PERSON)
    assert connection is not None
    client.sendall(b'{"op": "log"}\n' * 1000)
    peers.server.readable(connection)
    # One answer is on its way; the other 999 requests wait their turn, unanswered.
    assert answered == ["log"]
    assert 0 < len(connection.outbox) < 1_500_100
    received = b""
    while received.count(b"\n") < 2:  # the client reads: the next one is answered then
        received += client.recv(1 << 20)
        peers.server.writable(connection)
    assert len(answered) >= 2
    assert json.loads(received.split(b"\n")[0])["rows"] == "x" * 1_500_000
    assert connection.sock.fileno() in peers.server.connections


def test_a_full_queue_of_connections_is_waited_out_by_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blocker.ipc import client as person

    monkeypatch.setattr(control, "BACKLOG", 1)
    monkeypatch.setattr(control, "peer_uid", lambda _sock: 0)
    server = control.Server(tmp_path / "control.sock", frozenset({0}), handle)
    queued = []
    try:
        while True:  # fill the queue as a loop of connects would
            flooding = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            flooding.setblocking(False)
            queued.append(flooding)
            flooding.connect(str(server.path))
    except BlockingIOError:
        queued.pop().close()
    got: list[_socket.socket] = []
    asking = threading.Thread(
        target=lambda: got.append(person._connect(server.path, timeout=3.0)), name="root"
    )
    asking.start()
    time.sleep(0.2)  # root's connect is refused meanwhile, and tried again
    assert asking.is_alive()
    accepted = server.accept_waiting()  # the daemon drains the queue
    asking.join(timeout=3)
    accepted += server.accept_waiting()
    assert len(got) == 1
    assert len(accepted) == len(queued) + 1
    for opened in (*queued, *got):
        opened.close()
    server.shutdown()
