"""`blocker tray`: the icon in the person's session. A client of the daemon: it shows the
state the daemon reports, turns menu clicks into requests, and answers events with
notifications. No policy lives here (see trayview.py and messages.py); quitting it stops
nothing.

Threads: Icon.run() owns the main thread and calls the menu's actions there; a listener
thread follows the daemon's events and a ticker thread counts the seconds. The three only
post jobs to one queue (inbox.py); one worker thread takes them in order and alone owns
the tray's state, asks the daemon, shows notifications and draws the icon and menu."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, assert_never

from blocker.blocklist import reminders
from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop import clicks, clipboard, icons, messages, trayview
from blocker.desktop.inbox import Click, DaemonEvent, Job, Redraw, StatusArrived, Tick, Worker
from blocker.desktop.notify import Notifier
from blocker.desktop.trayview import Action
from blocker.ipc import client, protocol
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName
from blocker.watch.titles import TitleWatcher, connect

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


@dataclass
class TrayState:
    """Everything the tray remembers. Only the worker thread reads or changes it."""

    status: dict[str, Any] | None = None
    view: trayview.View = field(default_factory=lambda: trayview.view(None))
    reminders: list[str] = field(default_factory=list)  # reminders shown, newest last
    to_add: tuple[str, str] | None = None  # (copied address, its label) waiting for "Yes"
    warned_pause_end: str | None = None
    watcher: TitleWatcher | None = None  # window titles, where the daemon cannot read them
    ticks: int = 0


@dataclass(frozen=True)
class Shown:
    """What the desktop shows: the view and the menu made of it."""

    view: trayview.View
    items: tuple[trayview.Item, ...]


class Tray:
    def __init__(
        self,
        socket_path: Path,
        blocklist: BlockListFile,
        notifier: Notifier,
        sandbox: str | None = None,  # the --sandbox it runs in: its hints name it
    ) -> None:
        self.socket_path = socket_path
        self.blocklist = blocklist
        self.notifier = notifier
        self.sandbox = sandbox
        self._state = TrayState()
        # pystray rebuilds the menu on its own thread and reads this. The worker never
        # changes it: it makes a new frozen Shown and assigns it, one attribute store, so a
        # reader gets the old menu or the new one, never half of each, and needs no lock.
        self.shown = Shown(self._state.view, self._state.view.items)
        self.icon: Any = None
        self.clipboard = clipboard.Clipboard()  # through GTK once run() knows it runs
        self.worker = Worker(self._handle, self._finish, name="tray-worker")
        self._listener = threading.Thread(target=self._listen, name="tray-listen", daemon=True)
        self._subscription: client.Subscription | None = None  # the listener's, to close
        self._ticker = threading.Thread(target=self._count_seconds, name="tray-tick", daemon=True)

    @property
    def state(self) -> TrayState:
        """The tray's state, for the worker alone; other threads read `shown`."""
        if not self.worker.on_worker():
            raise RuntimeError("the tray's state belongs to its worker thread; read `shown`")
        return self._state

    # -- threads -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker, the listener and the ticker, once."""
        if self._ticker.ident is None:
            self.worker.start()
            self._listener.start()
            self._ticker.start()

    def stop(self) -> None:
        """End the worker, the ticker and the listener; safe from any thread."""
        self.worker.stop()
        subscription = self._subscription  # set by the listener; one attribute read
        if subscription is not None:
            subscription.close()  # wakes the listener's read
        if self._listener.is_alive() and threading.current_thread() is not self._listener:
            self._listener.join()
        if self._ticker.is_alive() and threading.current_thread() is not self._ticker:
            self._ticker.join()

    def click(self, action: Action, value: str | None = None) -> None:
        """What a menu item does, on the desktop's main thread: queue it, never wait."""
        self.worker.post(Click(action, value))

    def _listen(self) -> None:
        """Follow the daemon's events; when it goes away, show so and try again."""
        stopped = self.worker.stopped
        while not stopped.is_set():
            try:
                self._subscription = client.subscribe(self.socket_path)
                if stopped.is_set():  # stop() came before the subscription was there
                    self._subscription.close()
                for message in self._subscription:
                    if stopped.is_set():
                        return
                    if "status" in message:
                        self.worker.post(StatusArrived(message["status"]))
                    elif (event := Event.from_json(message)) is not None:
                        self.worker.post(DaemonEvent(event))
            except client.DaemonUnreachable:
                pass
            if not stopped.is_set():
                self.worker.post(StatusArrived(None))
            stopped.wait(RETRY_SECONDS)

    def _count_seconds(self) -> None:
        """A tick each second, unless jobs wait: the worker is busy then and looks again
        after them anyway, so ticks never pile up behind a slow request."""
        while not self.worker.stopped.wait(1.0):
            if self.worker.idle():
                self.worker.post(Tick())

    # -- the worker --------------------------------------------------------------------
    def _handle(self, job: Job) -> None:
        match job:
            case Click(action, value):
                clicks.HANDLERS[action](self, value)
                if not self.worker.stopped.is_set():
                    self.refresh()  # it also shows "Yes, block it" or takes it away
            case StatusArrived(status):
                self.refresh(status)
            case DaemonEvent(event):
                self.on_event(event)
            case Tick():
                self._tick()
            case Redraw():
                self._draw()
            case _:
                assert_never(job)

    def _finish(self) -> None:
        """The worker is ending: close what only it used."""
        if self.state.watcher is not None:
            self.state.watcher.close()
            self.state.watcher = None

    # -- on the worker: talking to the daemon (clicks.py's handlers call these too) ------
    def ask(self, message: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return client.request(self.socket_path, message, timeout=3.0)
        except client.DaemonUnreachable:
            self.refresh(None)
            return None

    def refresh(self, status: object = True) -> None:
        """Take in a status (True: ask the daemon for one; not a dict: no daemon) and
        redraw the icon and menu."""
        if status is True:
            answer = self.ask(protocol.Status().to_json())
            if answer is None:
                return
            status = answer.get("status")
        state = self.state
        state.status = status if isinstance(status, dict) else None
        state.view = trayview.view(state.status, self.sandbox)
        items = state.view.items
        if state.to_add:
            confirm = f"Yes, block {state.to_add[1]}"
            items = (trayview.Item(confirm, Action.CONFIRM_ADD, default=True), *items)
        self.shown = Shown(state.view, items)
        self._draw()

    def reminder(self) -> str:
        state = self.state
        reasons = (state.status or {}).get("reasons", [])
        text = reminders.pick(
            reasons, reminders.shipped_reminders(), state.reminders, number=int(time.time())
        )
        state.reminders = [*state.reminders[-20:], text]
        return text

    def on_event(self, event: Event) -> None:
        shown = messages.notification(event, self.reminder())
        if shown is not None:
            self.notifier.show(*shown, urgent=messages.urgent(event))
        self.refresh()

    # -- each second ---------------------------------------------------------------------
    def _watch_titles(self) -> None:
        """Where the daemon cannot read window titles (a system service has no display),
        the tray reads them in the person's session and tells the daemon of each urge."""
        state = self.state
        status = state.status or {}
        if status.get("watching_titles") or not status.get("title_patterns"):
            return
        state.watcher = state.watcher or connect(shipped_browsers())
        if state.watcher is None:
            return
        try:
            found = state.watcher.scan(status["title_patterns"])
        except Exception as error:  # noqa: BLE001  (the display went away)
            logger.info("stopped reading window titles: %s", error)
            state.watcher = None
            return
        for match in found:
            self.ask(protocol.Urge(match.browser, match.window.title).to_json())

    def _tick(self) -> None:
        """Keep the countdown live, watch titles where the daemon cannot, and warn a minute
        before a pause ends."""
        state = self.state
        self._watch_titles()
        pause = (state.status or {}).get("pause") or {}
        # Every second while a countdown runs; otherwise every ten seconds, which also
        # turns the day over at midnight and redraws an icon whose first drawing a
        # desktop backend dropped while it was still starting.
        if pause.get("state") in ("cooldown", "active") or state.ticks % 10 == 0:
            self.refresh()
        state.ticks += 1
        ends = pause.get("ends_at")
        if pause.get("state") == "active" and ends and ends != state.warned_pause_end:
            left = (datetime.fromisoformat(ends) - datetime.now().astimezone()).total_seconds()
            if left <= 60:
                state.warned_pause_end = ends
                self.on_event(Event(EventName.PAUSE_ENDING))

    # -- drawing -----------------------------------------------------------------------
    def _draw(self) -> None:
        if self.icon is None:
            return
        view = self.shown.view
        # The day is in the tooltip: a counter drawn into a 22 px tray icon is unreadable.
        self.icon.icon = icons.draw(view.icon, 64)
        self.icon.title = view.tooltip
        self.icon.update_menu()

    def menu_items(self) -> tuple[trayview.Item, ...]:
        """The menu, from any thread: the worker's latest snapshot."""
        return self.shown.items

    def started(self, icon: Any) -> None:
        """pystray's setup hook: the icon exists; show it and start following the daemon."""
        icon.visible = True
        self.start()
        self.worker.post(Redraw())

    def run(self) -> None:
        """Show the icon and its menu until quit (on the desktop's main thread)."""
        from blocker.desktop import backend  # pystray: only where there is a desktop

        try:
            backend.run(self)
        finally:
            self.stop()
