"""The tray's threads: clicks, the daemon's messages and ticks only queue jobs, one worker
handles them in order and alone touches the tray's state, and quitting leaves no thread.
Against a scripted daemon on a real Unix socket; the notifications are recorded."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop import clicks
from blocker.desktop.inbox import DaemonEvent, StatusArrived, Tick
from blocker.desktop.notify import Notifier
from blocker.desktop.tray import Tray
from blocker.desktop.trayview import Action
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName
from tests.unit.test_trayview import LIST, status

BLOCKING = status()


def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.01)


class ScriptedDaemon:
    """Answers each request on a real Unix socket from a table (by its op) and keeps
    subscribers connected; records the ops it was asked, in order."""

    def __init__(self, path: Path, answers: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.answers = {"status": {"ok": True, "status": BLOCKING}, **answers}
        self.asked: list[str] = []
        self.subscribers: list[socket.socket] = []
        self.listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listening.bind(str(path))
        self.listening.listen()
        self.listening.settimeout(0.05)
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="scripted-daemon")
        self.thread.start()

    def _serve(self) -> None:
        while not self.closed.is_set():
            try:
                connection, _ = self.listening.accept()
            except TimeoutError:
                continue
            connection.settimeout(5)
            line = connection.makefile("rb").readline()
            op = json.loads(line)["op"]
            self.asked.append(op)
            if op == "subscribe":
                self.subscribers.append(connection)
                self._send(connection, {"ok": True, "subscribed": True, "status": BLOCKING})
                continue
            self._send(connection, self.answers.get(op, {"ok": True}))
            connection.close()

    @staticmethod
    def _send(connection: socket.socket, message: dict[str, Any]) -> None:
        connection.sendall(json.dumps(message).encode() + b"\n")

    def tell(self, event: dict[str, Any]) -> None:
        until(lambda: bool(self.subscribers), "a subscriber")
        for connection in self.subscribers:
            self._send(connection, event)

    def close(self) -> None:
        self.closed.set()
        self.thread.join()
        self.listening.close()
        for connection in self.subscribers:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


class Recorded(Notifier):
    """Each notification's title and the thread that showed it."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []

    def show(self, title: str, body: str, *, urgent: bool = False) -> bool:
        self.shown.append((title, threading.current_thread().name))
        return True

    def titles(self) -> list[str]:
        return [title for title, _ in self.shown]


@pytest.fixture(autouse=True)
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """No window titles to read: the worker's ticks ask the daemon and nothing else."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[ScriptedDaemon]:
    running = ScriptedDaemon(
        tmp_path / "control.sock", {"pause": {"ok": False, "error": "no pauses left today"}}
    )
    yield running
    running.close()


@pytest.fixture
def tray(tmp_path: Path, daemon: ScriptedDaemon) -> Iterator[Tray]:
    (tmp_path / "blocklist.yaml").write_text(LIST)
    made = Tray(
        daemon.path,
        BlockListFile(tmp_path / "blocklist.yaml", shipped_catalog(), frozenset()),
        Recorded(),
    )
    yield made
    made.stop()


def notes(tray: Tray) -> Recorded:
    assert isinstance(tray.notifier, Recorded)
    return tray.notifier


def tray_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("tray-")]


def test_a_click_and_an_event_from_two_threads_are_handled_in_order_by_the_one_worker(
    tray: Tray, daemon: ScriptedDaemon
) -> None:
    tray.worker.start()  # the worker alone: no listener or ticker puts jobs in between
    menu = threading.Thread(target=tray.click, args=(Action.PAUSE,), name="desktop-main")
    menu.start()
    menu.join()
    events = threading.Thread(
        target=tray.worker.post, args=(DaemonEvent(Event(EventName.URGE)),), name="events"
    )
    events.start()
    events.join()
    until(lambda: len(notes(tray).shown) == 2, "both notifications")
    assert notes(tray).shown == [("No pause now", "tray-worker"), ("Not today", "tray-worker")]
    # The click's request and its refresh came before the event's refresh.
    until(lambda: len(daemon.asked) == 3, "the event's refresh")
    assert daemon.asked == ["pause", "status", "status"]
    assert tray.shown.view.icon == "blocking"
    with pytest.raises(RuntimeError, match="worker thread"):
        _ = tray.state  # from the test's thread: refused


def test_the_daemons_events_reach_the_worker_through_the_listener(
    tray: Tray, daemon: ScriptedDaemon
) -> None:
    tray.start()
    until(lambda: tray.shown.view.icon == "blocking", "the subscription's status")
    daemon.tell({"event": "block_ended"})
    until(lambda: "The block is off" in notes(tray).titles(), "the event's notification")
    assert {thread for _, thread in notes(tray).shown} == {"tray-worker"}


def test_a_pause_about_to_end_is_announced_once_however_many_ticks_see_it(
    tray: Tray, daemon: ScriptedDaemon
) -> None:
    ends = (datetime.now(UTC) + timedelta(seconds=30)).astimezone().isoformat()
    pausing = {**BLOCKING, "pause": {"state": "active", "ends_at": ends}}
    daemon.answers["status"] = {"ok": True, "status": pausing}
    tray.worker.start()
    # The last job marks the end: every tick before it has been handled when it shows.
    last = DaemonEvent(Event(EventName.BLOCK_ENDED))
    for job in (StatusArrived(pausing), Tick(), Tick(), Tick(), last):
        tray.worker.post(job)
    until(lambda: "The block is off" in notes(tray).titles(), "the jobs handled")
    assert notes(tray).titles() == ["The pause ends in a minute", "The block is off"]
    # Each tick refreshed the countdown; announcing the end and the last event did too.
    until(lambda: daemon.asked.count("status") == 5, "the refreshes")
    time.sleep(0.1)
    assert daemon.asked.count("status") == 5


def test_a_job_that_fails_is_logged_and_the_next_one_is_still_handled(
    tray: Tray, caplog: pytest.LogCaptureFixture
) -> None:
    tray.worker.start()
    with caplog.at_level(logging.ERROR, logger="blocker.desktop.inbox"):
        tray.worker.post(StatusArrived({"truth": {}}))  # a status missing what a view needs
        tray.worker.post(StatusArrived(BLOCKING))
        until(lambda: tray.shown.view.icon == "blocking", "the next status")
    assert "the tray failed to handle StatusArrived" in caplog.text


def test_quitting_ends_the_worker_the_ticker_and_the_listener_while_the_daemon_is_silent(
    tray: Tray, daemon: ScriptedDaemon
) -> None:
    tray.start()
    until(lambda: tray.shown.view.icon == "blocking", "the subscription's status")
    assert sorted(tray_threads()) == ["tray-listen", "tray-tick", "tray-worker"]
    subscriptions = daemon.asked.count("subscribe")
    tray.click(Action.QUIT)
    until(lambda: not tray_threads(), "every thread of the tray ending")
    assert notes(tray).titles()[-1] == "The tray is closed"
    with contextlib.suppress(BrokenPipeError):  # the tray closed its end: nobody listens
        daemon.tell({"event": "urge"})
    time.sleep(0.2)
    assert daemon.asked.count("subscribe") == subscriptions  # it did not subscribe again
    assert "Not today" not in notes(tray).titles()  # nothing is handled after quitting


def test_every_menu_action_has_its_handler() -> None:
    assert set(clicks.HANDLERS) == set(Action)
