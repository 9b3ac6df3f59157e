"""The person's side of the socket reads the daemon's lines whole, however they arrive."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from blocker.ipc import client


@contextlib.contextmanager
def lines_from(*chunks: bytes) -> Iterator[client._Lines]:
    ours, theirs = socket.socketpair()

    def send() -> None:
        with theirs, contextlib.suppress(OSError):
            for chunk in chunks:
                theirs.sendall(chunk)

    threading.Thread(target=send, daemon=True).start()
    ours.settimeout(5)
    with ours:
        yield client._Lines(ours)


def test_a_message_split_across_reads_and_two_in_one_read_come_out_whole() -> None:
    with lines_from(b'{"ok": tr', b'ue, "n": 1}\n{"ok": false}\n{"n"', b": 3}\n") as lines:
        assert lines.next() == {"ok": True, "n": 1}
        assert lines.next() == {"ok": False}
        assert lines.next() == {"n": 3}
        with pytest.raises(client.DaemonUnreachable, match="closed the connection"):
            lines.next()


def test_an_answer_longer_than_the_limit_is_refused_not_buffered_forever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client, "MAX_ANSWER", 1000)
    with lines_from(b"x" * 5000) as lines, pytest.raises(client.DaemonUnreachable, match="long"):
        lines.next()


def test_closing_a_subscription_wakes_the_thread_waiting_for_the_next_event(
    tmp_path: Path,
) -> None:
    path = tmp_path / "control.sock"
    daemon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    daemon.bind(str(path))
    daemon.listen()
    subscription = client.subscribe(path)
    connection, _ = daemon.accept()
    assert connection.makefile("rb").readline() == b'{"op":"subscribe"}\n'
    connection.sendall(b'{"ok": true, "subscribed": true}\n')
    heard: list[object] = []
    reader = threading.Thread(target=lambda: heard.extend(subscription), name="reader")
    reader.start()
    time.sleep(0.1)  # the reader has the answer and waits for an event the daemon never sends
    assert reader.is_alive()
    subscription.close()
    reader.join(timeout=2)
    assert not reader.is_alive()
    assert heard == [{"ok": True, "subscribed": True}]
    assert connection.recv(1) == b""  # the daemon sees the subscriber go
    connection.close()
    daemon.close()
