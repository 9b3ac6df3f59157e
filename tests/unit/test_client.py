"""The person's side of the socket reads the daemon's lines whole, however they arrive."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

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
