"""The daemon's loop and control socket in this process, on a sandbox: real requests through
blocker.ipc.client get real answers, a tightening reaches the hosts file at once, garbage
is answered in one line while the daemon goes on, and stopping leaves the block in place.
The daemon runs on a thread of the test (tests/daemon_thread.py)."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from blocker.errors import BlockerError
from blocker.ipc import client
from blocker.ipc import server as control
from blocker.ipc.wire import MAX_MESSAGE
from tests.daemon_thread import Running, start_daemon, wait_until
from tests.helpers import run_cli, sandbox_paths
from tests.unit.test_engine import LIST, TEST_BROWSER


def test_a_ping_is_answered_and_the_first_step_blocks_the_list(running: Running) -> None:
    assert running.ask(op="ping") == {"ok": True}
    status = running.status()
    assert status["blocking"] is True
    assert status["daemon"] is True
    assert "www.alexblog.example.com" in running.blocked()
    assert "alexphotos.example.org" in running.blocked()


def test_adding_a_site_blocks_its_names_in_the_hosts_file_at_once(running: Running) -> None:
    assert "alexnews.example.net" not in running.blocked()
    answer = running.ask(op="add", target="alexnews.example.net", site=True)
    assert answer["ok"] is True, answer
    assert answer["waits_until"] is None  # a tightening does not wait
    assert {"alexnews.example.net", "www.alexnews.example.net"} <= running.blocked()
    assert "  - alexnews.example.net\n" in running.paths.config.read_text()


def test_a_pause_is_answered_with_its_cooldown_and_status_shows_it_waiting(
    running: Running,
) -> None:
    answer = running.ask(op="pause", length="5m")
    assert answer["ok"] is True, answer
    assert answer["matures_at"] == "2026-11-27T13:15:00+01:00"  # the list's 15 min cooldown
    pause = running.status()["pause"]
    assert pause["state"] == "cooldown"
    assert "www.alexblog.example.com" in running.blocked(), "a cooldown keeps the block"


def test_cancel_takes_the_waiting_pause_back_and_the_block_stays(running: Running) -> None:
    request = running.ask(op="pause")["request"]
    answer = running.ask(op="cancel")
    assert answer["ok"] is True
    assert answer["cancelled"] == [request]
    assert answer["blocking"] is True
    pause = running.status()["pause"]
    assert (pause["state"], pause["pending"]) == ("none", [])
    assert running.status()["week"] == {"asked": 1, "cancelled": 1, "started": 0}


def test_garbage_is_answered_in_one_line_and_the_daemon_goes_on(running: Running) -> None:
    (answer,) = running.send_raw(b"this is not json\n")
    assert answer["ok"] is False
    assert str(answer["error"]).startswith("bad request: not JSON")
    assert running.ask(op="no-such-thing") == {
        "ok": False,
        "error": "unknown request 'no-such-thing'",
    }
    assert running.ask(op="ping") == {"ok": True}


def test_an_oversized_request_is_refused_in_one_line_and_the_daemon_goes_on(
    running: Running,
) -> None:
    huge = b'{"op": "add", "target": "' + b"a" * (MAX_MESSAGE + 10) + b'"}\n'
    (answer,) = running.send_raw(huge)
    assert answer["ok"] is False
    # Which of the two depends on how the kernel cut the bytes into reads.
    assert answer["error"] in {"request too large", f"a request is at most {MAX_MESSAGE} bytes"}
    assert running.paths.config.read_text() == LIST  # nothing of it was taken in
    assert running.ask(op="ping") == {"ok": True}


def test_a_subscriber_gets_the_status_then_each_event_as_it_happens(running: Running) -> None:
    stream = client.subscribe(running.paths.socket)
    first = next(stream)
    assert first["subscribed"] is True
    assert first["status"]["blocking"] is True
    request = running.ask(op="pause")["request"]
    event = next(stream)
    assert (event["event"], event["request"], event["kind"]) == (
        "cooldown_started",
        request,
        "pause",
    )
    assert "unless you cancel it" in event["message"]
    running.ask(op="cancel")
    assert next(stream)["event"] == "request_cancelled"
    running.stop()
    assert list(stream) == []  # the stream ends when the daemon stops


def test_the_state_file_is_written_private_and_holds_the_waiting_pause(
    running: Running,
) -> None:
    request = running.ask(op="pause")["request"]
    state_file = running.paths.state_dir / "state.json"
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    assert request in state_file.read_text()


def test_stopping_closes_the_socket_and_leaves_the_block_in_place(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    running.ask(op="ping")
    blocked = running.blocked()
    with caplog.at_level("INFO", logger="blocker.daemon.loop"):
        running.stop()
    assert "stopped; the block stays as it is" in caplog.messages
    assert running.blocked() == blocked
    assert not running.paths.socket.exists()
    with pytest.raises(client.DaemonUnreachable):
        client.request(running.paths.socket, {"op": "ping"}, timeout=1.0)


def test_a_user_the_daemon_does_not_allow_is_refused_by_the_kernels_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    someone_else = frozenset({os.geteuid() + 1})
    started = start_daemon(sandbox_paths(tmp_path, LIST), someone_else)
    try:
        answer = started.ask(op="add", target="alexnews.example.net", site=True)
        assert answer == {"ok": False, "error": "this user may not control blocker"}
        assert started.paths.config.read_text() == LIST
    finally:
        started.stop()


def test_a_blocked_site_asked_for_is_an_urge_heard_once_and_logged(running: Running) -> None:
    stream = client.subscribe(running.paths.socket)
    next(stream)
    # What the loopback listener's thread calls for each name a program asks for.
    for _ in range(3):  # a page opens many connections: one attempt, not three
        running.daemon._site_asked("www.alexblog.example.com")
    running.daemon._site_asked("elsewhere.example.com")  # not blocked: not an urge
    event = next(stream)
    assert (event["event"], event["site"], event["layer"]) == (
        "urge",
        "www.alexblog.example.com",
        "site",
    )
    (entry,) = running.ask(op="log")["entries"]
    assert (entry["kind"], entry["detail"]["site"]) == ("urge", "www.alexblog.example.com")
    today = running.ask(op="stats")["stats"]["period_days"][7]
    assert (today["date"], today["urges"]) == ("2026-11-27", 1)


def test_urges_from_the_tray_and_the_extension_count_and_unknown_labels_do_not(
    running: Running,
) -> None:
    title = running.ask(op="urge", browser="Firefox", title="alex.example • Instagram")
    assert title == {"ok": True, "counted": True}
    stopped_page = running.ask(op="urge", browser="Chromium", target="instagram: alex.example")
    assert stopped_page == {"ok": True, "counted": True}
    assert running.ask(op="urge", target="someone: else") == {"ok": True, "counted": False}
    logged = [(e["kind"], e["detail"]["layer"]) for e in running.ask(op="log")["entries"]]
    assert logged == [("urge", "title"), ("urge", "extension")]


def test_the_extension_is_told_what_to_stop_now(running: Running) -> None:
    view = running.ask(op="extension")["view"]
    assert (view["day"], view["days"]) == (8, 30)
    assert {"label": "instagram: alex.example", "prefix": "instagram.com/alex.example"} in view[
        "targets"
    ]


def test_stop_waits_for_its_cooldown_and_start_takes_it_back(running: Running) -> None:
    asked = running.ask(op="stop")
    assert asked["ok"] is True
    assert asked["matures_at"] == "2026-11-27T13:15:00+01:00"
    started = running.ask(op="start")
    assert (started["ok"], started["paused_until"]) == (True, None)
    status = running.status()
    assert status["pause"]["pending"] == []
    assert status["stopped"] is False
    assert "www.alexblog.example.com" in running.blocked()


def test_a_reload_reads_a_tightening_edit_of_the_list_at_once(running: Running) -> None:
    running.paths.config.write_text(LIST + "  - alexnews.example.net\n")
    assert running.ask(op="reload") == {"ok": True}
    assert "alexnews.example.net" in running.blocked()


def test_a_second_daemon_on_the_socket_of_one_that_answers_does_not_start(
    running: Running,
) -> None:
    with pytest.raises(BlockerError, match="another blocker daemon already answers"):
        control.Server(running.paths.socket, frozenset({os.geteuid()}), lambda _m, _c: {})
    assert running.ask(op="ping") == {"ok": True}


def test_the_socket_file_of_a_killed_daemon_is_replaced_by_a_listening_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "control.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as left:
        left.bind(str(path))  # bound, never listening: what SIGKILL leaves behind
    server = control.Server(path, frozenset({os.geteuid()}), lambda _m, _c: {"ok": True})
    try:
        assert stat.S_ISSOCK(path.stat().st_mode)
        assert stat.S_IMODE(path.stat().st_mode) == 0o666  # who may ask is the kernel's word
    finally:
        server.shutdown()
    assert not path.exists()


def test_a_hosts_file_that_cannot_be_read_is_one_failing_layer_and_the_rest_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    paths = sandbox_paths(tmp_path, LIST)
    started = start_daemon(paths, frozenset({os.geteuid()}), browsers=(TEST_BROWSER,))
    try:
        assert started.status()["failing_layers"] == {}
        policy = next((paths.root / "etc/testium/policies/managed").iterdir())
        paths.hosts.unlink()
        paths.hosts.mkdir()  # what no write can turn back into a hosts file
        started.ask(op="reload")  # the loop steps before it answers the next request
        failing = started.status()["failing_layers"]
        assert failing == {"hosts file": f"cannot read {paths.hosts}: Is a directory"}
        assert "instagram.com/alex.example" in policy.read_text()  # the browser's layer holds
        doctor = run_cli(paths, "doctor").stdout
        assert "✗ daemon: hosts file: cannot read" in doctor
        assert "(the rest of the block holds; retried)" in doctor
        paths.hosts.rmdir()
        paths.hosts.write_text("127.0.0.1 localhost\n")
        wait_until(lambda: "www.alexblog.example.com" in started.blocked(), "the block back")
        assert started.status()["failing_layers"] == {}
    finally:
        started.stop()
