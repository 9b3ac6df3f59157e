"""A request line is checked before anyone uses it: whatever a permitted user sends is
either a usable request or a one-line reason, never an exception the daemon did not expect."""

from __future__ import annotations

import pytest

from blocker.ipc import answers, protocol
from blocker.ipc.events import Event
from blocker.ipc.protocol import MAX_DEPTH, ProtocolError, UnknownRequest, decode, read_request
from blocker.ipc.wire import EventName, Op, encode


def test_a_plain_request_comes_through_as_sent() -> None:
    assert decode(b'{"op": "add", "target": "x.example", "site": true}') == {
        "op": "add",
        "target": "x.example",
        "site": True,
    }
    assert decode(b'{"op": "pause", "length": null}') == {"op": "pause", "length": None}


def test_nesting_deeper_than_the_parser_can_recurse_is_a_protocol_error() -> None:
    for depth in (1_000, 100_000):
        line = b'{"op": "status", "x": ' + b"[" * depth + b"]" * depth + b"}"
        with pytest.raises(ProtocolError, match="nested more than"):
            decode(line)


def test_nesting_a_little_past_the_bound_is_refused_and_up_to_it_is_taken() -> None:
    def nested(depth: int) -> bytes:  # the request object itself is the first level
        return b'{"op": "status", "x": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"

    assert decode(nested(MAX_DEPTH))["op"] == "status"
    with pytest.raises(ProtocolError, match="nested more than"):
        decode(nested(MAX_DEPTH + 1))
    with pytest.raises(ProtocolError, match="nested more than"):
        decode(b'{"op": "status", "x": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {}}}}}}}}}')


def test_a_key_given_twice_is_refused_not_decided_by_the_parser() -> None:
    with pytest.raises(ProtocolError, match="given twice"):
        decode(b'{"op": "cancel", "op": "stop"}')
    with pytest.raises(ProtocolError, match="given twice"):
        decode(b'{"op": "status", "x": {"a": 1, "a": 2}}')


def test_a_number_too_long_to_convert_and_non_json_constants_are_refused() -> None:
    with pytest.raises(ProtocolError, match="not a usable JSON value"):
        decode(b'{"op": "status", "n": ' + b"1" * 5000 + b"}")
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        with pytest.raises(ProtocolError, match="is not a JSON value"):
            decode(b'{"op": "status", "n": ' + constant + b"}")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"op": "pause", "length": 15}', "'length' must be text"),
        (b'{"op": "cancel", "id": ["a"]}', "'id' must be text"),
        (b'{"op": "add", "target": {"x": 1}}', "'target' must be text"),
        (b'{"op": "add", "target": "x", "site": 1}', "'site' must be true or false"),
        (b'{"op": "remove", "target": "x", "site": "yes"}', "'site' must be true or false"),
        (b'{"op": "urge", "title": 3.5}', "'title' must be text"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_in_one_line(line: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        read_request(decode(line))
    assert str(refused.value) == reason


def test_bytes_that_are_not_a_request_object_are_refused() -> None:
    for line in (b"\xff\xfe", b"[1, 2]", b'{"op": 5}', b"", b'{"op": "status"'):
        with pytest.raises(ProtocolError):
            decode(line)


def test_each_request_is_read_as_its_own_type_and_goes_back_to_the_same_json() -> None:
    line = b'{"op": "add", "target": "x.example", "site": true, "extra": 1}'
    request = read_request(decode(line))
    assert request == protocol.Add(target="x.example", site=True)
    assert request.to_json() == {"op": "add", "target": "x.example", "site": True}
    assert read_request(decode(b'{"op": "pause"}')) == protocol.Pause()
    assert encode(protocol.Cancel("r2").to_json()) == b'{"op":"cancel","id":"r2"}\n'


def test_every_op_has_a_request_type_and_an_unknown_op_is_named() -> None:
    assert set(protocol.REQUESTS) == set(Op)
    with pytest.raises(UnknownRequest, match="unknown request 'launch'"):
        read_request({"op": "launch"})


def test_an_event_line_is_read_back_as_the_event_sent_and_other_lines_are_not_events() -> None:
    sent = Event(EventName.URGE, "a blocked profile is open", "2026-12-03T10:00:00+01:00",
                 {"browser": "Chromium"})  # fmt: skip
    assert sent.to_json()["event"] == "urge"
    assert Event.from_json(sent.to_json()) == sent
    assert Event.from_json({"ok": True, "subscribed": True}) is None
    assert Event.from_json({"event": "a_later_kind"}) is None


def test_an_answer_says_ok_and_leaves_out_what_is_not_given_except_where_none_is_told() -> None:
    waiting = answers.Waiting("r1", now="10:00", matures_at="10:15")
    assert waiting.to_json() == {"ok": True, "request": "r1", "now": "10:00", "matures_at": "10:15"}
    assert answers.Waiting.from_json(waiting.to_json()) == waiting
    assert answers.Started(now="10:00").to_json()["paused_until"] is None
    assert answers.Refusal("no").to_json() == {"ok": False, "error": "no"}


def test_the_status_is_one_flat_object_on_the_wire_and_reads_back_whole() -> None:
    sent = answers.DaemonStatus(
        report={"blocking": True, "held": None},
        stopped=False,
        wall_clock="2026-12-03T10:00:00+01:00",
        pause={"state": "idle", "pending": []},
        week={"asked": 1, "cancelled": 1},
        title_patterns=["(@alex.example)"],
        watching_titles=True,
        process_watch="the kernel's process events",
        extension={"served": False, "problem": "no port"},
        firefox_unsigned_addons=False,
        failing_layers={},
        hosts_lines_off=[],
    )
    line = sent.to_json()
    assert line["daemon"] is True
    assert line["blocking"] is True
    assert line["pause"]["state"] == "idle"
    assert answers.DaemonStatus.from_json(line) == sent


def test_a_status_field_an_older_daemon_did_not_send_reads_as_empty() -> None:
    status = answers.DaemonStatus.from_json({"blocking": False, "daemon": True})
    assert status.report == {"blocking": False}
    assert status.failing_layers == {}
    assert status.process_watch == ""
