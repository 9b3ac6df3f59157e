"""`blocker tray`: the icon in the person's session. A client of the daemon: it shows the
state the daemon reports, turns menu clicks into requests, and answers events with
notifications. No policy lives here (see trayview.py and messages.py); quitting it stops
nothing. Icon.run() owns the main thread; a listener thread follows the daemon's events
and a ticker thread keeps the countdown current."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from blocker.blocklist import reminders
from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop import icons, messages, trayview
from blocker.desktop import session as desktop
from blocker.desktop.notify import Notifier
from blocker.ipc import client, protocol
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName
from blocker.watch.titles import TitleWatcher, connect

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


@dataclass
class TrayState:
    status: dict[str, Any] | None = None
    view: trayview.View = field(default_factory=lambda: trayview.view(None))
    shown: list[str] = field(default_factory=list)  # reminders shown, newest last
    to_add: str | None = None  # a copied address waiting for "Yes, block it"
    warned_pause_end: str | None = None


class Tray:
    def __init__(self, socket_path: Path, blocklist: BlockListFile, notifier: Notifier) -> None:
        self.socket_path = socket_path
        self.blocklist = blocklist
        self.notifier = notifier
        self.state = TrayState()
        self.lock = threading.Lock()  # the listener, the ticker and menu clicks share state
        self.icon: Any = None
        self.stopped = threading.Event()

    # -- talking to the daemon ---------------------------------------------------------
    def ask(self, message: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return client.request(self.socket_path, message, timeout=3.0)
        except client.DaemonUnreachable:
            self.refresh(None)
            return None

    def refresh(self, status: dict[str, Any] | bool | None = True) -> None:
        """Take in a status (True: ask the daemon for one) and redraw the icon and menu."""
        if status is True:
            answer = self.ask(protocol.Status().to_json())
            if answer is None:
                return
            status = answer.get("status")
        with self.lock:
            self.state.status = status if isinstance(status, dict) else None
            self.state.view = trayview.view(self.state.status)
        self._draw()

    def reminder(self) -> str:
        reasons = (self.state.status or {}).get("reasons", [])
        with self.lock:
            text = reminders.pick(
                reasons, reminders.shipped_reminders(), self.state.shown, number=int(time.time())
            )
            self.state.shown = [*self.state.shown[-20:], text]
        return text

    def on_event(self, event: Event) -> None:
        shown = messages.notification(event, self.reminder())
        if shown is not None:
            self.notifier.show(*shown)
        self.refresh()

    # -- menu actions ------------------------------------------------------------------
    def act_soon(self, action: str) -> None:
        """Called by a menu click on the desktop's main thread: hand the work (requests,
        notifications) to a thread of its own, so the menu never waits on them."""
        threading.Thread(
            target=self.act, args=(action,), name=f"tray-{action}", daemon=True
        ).start()

    def act(self, action: str) -> None:
        """What a menu item does; the menu items call this with their action name."""
        if action == "pause":
            answer = self.ask(protocol.Pause().to_json())
            if answer is not None and not answer.get("ok"):
                self.notifier.show("No pause now", str(answer.get("error")))
        elif action == "cancel":
            self.ask(protocol.Cancel().to_json())
        elif action == "add_clipboard":
            self._offer_clipboard()
        elif action == "confirm_add" and self.state.to_add:
            answer = self.ask(protocol.Add(self.state.to_add).to_json())
            self.state.to_add = None
            if answer is not None:
                self.notifier.show(
                    "Blocked",
                    f"{answer.get('label', '')} is on your block list."
                    if answer.get("ok")
                    else str(answer.get("error")),
                )
        elif action == "open_list":
            self._open_list()
        elif action == "progress":
            self._show_progress()
        elif action == "quit":
            self.notifier.show("The tray is closed", "Your block stays on; the daemon keeps it.")
            self.stopped.set()
            if self.icon is not None:
                self.icon.stop()
        self.refresh()

    def _offer_clipboard(self) -> None:
        copied = desktop.read_clipboard()
        if not copied:
            self.notifier.show(
                "Nothing copied",
                "Copy the profile's address in your browser, then choose this again.",
            )
            return
        try:
            _, _, target = self.blocklist.entry(copied, whole_site=False)
        except Exception as error:  # noqa: BLE001  (any refusal is shown, never raised)
            self.notifier.show("That is not a profile blocker knows", str(error))
            return
        self.state.to_add = copied
        pages = ", ".join(target.url_prefixes[:2])
        self.notifier.show(
            f"Block {target.label}?",
            f'This blocks {pages}. Choose "Yes, block it" in the menu to confirm.',
        )

    def _show_progress(self) -> None:
        from blocker.desktop import chart

        answer = self.ask(protocol.Stats().to_json())
        if answer is None or not answer.get("ok"):
            return
        picture = Path(tempfile.gettempdir()) / f"blocker-progress-{os.getuid()}.png"
        chart.draw(answer["stats"]).save(picture, format="PNG")
        picture.chmod(0o600)
        desktop.open_file(picture)

    def _open_list(self) -> None:
        path = self.blocklist.path
        if not desktop.open_file(path):
            self.notifier.show(
                "Your block list",
                f"It is {path}; open it with `sudoedit {path}`, then `blocker check`.",
            )

    # -- threads -----------------------------------------------------------------------
    def listen(self) -> None:
        """Follow the daemon's events; when it goes away, show so and try again."""
        while not self.stopped.is_set():
            try:
                for message in client.subscribe(self.socket_path):
                    if "status" in message:
                        self.refresh(message["status"])
                    elif (event := Event.from_json(message)) is not None:
                        self.on_event(event)
            except client.DaemonUnreachable:
                pass
            self.refresh(None)
            self.stopped.wait(RETRY_SECONDS)

    def _watch_titles(self, watcher: TitleWatcher | None) -> TitleWatcher | None:
        """Where the daemon cannot read window titles (a system service has no display),
        the tray reads them in the person's session and tells the daemon of each urge."""
        status = self.state.status or {}
        if status.get("watching_titles") or not status.get("title_patterns"):
            return watcher
        watcher = watcher or connect(shipped_browsers())
        if watcher is None:
            return None
        try:
            found = watcher.scan(status["title_patterns"])
        except Exception as error:  # noqa: BLE001  (the display went away)
            logger.info("stopped reading window titles: %s", error)
            return None
        for match in found:
            self.ask(protocol.Urge(match.browser, match.window.title).to_json())
        return watcher

    def tick(self) -> None:
        """Keep the countdown live, watch titles where the daemon cannot, and warn a minute
        before a pause ends."""
        watcher: TitleWatcher | None = None
        ticks = 0
        while not self.stopped.wait(1.0):
            watcher = self._watch_titles(watcher)
            pause = (self.state.status or {}).get("pause") or {}
            # Every second while a countdown runs; otherwise every ten seconds, which also
            # turns the day over at midnight and redraws an icon whose first drawing a
            # desktop backend dropped while it was still starting.
            if pause.get("state") in ("cooldown", "active") or ticks % 10 == 0:
                self.refresh()
            ticks += 1
            ends = pause.get("ends_at")
            if pause.get("state") == "active" and ends and ends != self.state.warned_pause_end:
                left = (datetime.fromisoformat(ends) - datetime.now().astimezone()).total_seconds()
                if left <= 60:
                    self.state.warned_pause_end = ends
                    self.on_event(Event(EventName.PAUSE_ENDING))
        if watcher is not None:
            watcher.close()

    # -- drawing -----------------------------------------------------------------------
    def _draw(self) -> None:
        if self.icon is None:
            return
        view = self.state.view
        # The day is in the tooltip: a counter drawn into a 22 px tray icon is unreadable.
        self.icon.icon = icons.draw(view.icon, 64)
        self.icon.title = view.tooltip
        self.icon.update_menu()

    def menu_items(self) -> list[trayview.Item]:
        items = list(self.state.view.items)
        if self.state.to_add:
            items.insert(0, trayview.Item("Yes, block it", "confirm_add", default=True))
        return items

    def _started(self, icon: Any) -> None:
        """pystray's setup hook: the icon exists; show it and start following the daemon."""
        icon.visible = True
        if not any(t.name == "tray-listen" and t.is_alive() for t in threading.enumerate()):
            threading.Thread(target=self.listen, name="tray-listen", daemon=True).start()
            threading.Thread(target=self.tick, name="tray-tick", daemon=True).start()
        self._draw()

    def run(self) -> None:
        import pystray  # imports a desktop backend: only where there is a desktop

        def item(entry: trayview.Item) -> Any:
            action = entry.action
            return pystray.MenuItem(
                entry.label,
                (lambda: self.act_soon(action)) if action else None,
                enabled=entry.enabled and action is not None,
                default=entry.default,
            )

        menu = pystray.Menu(lambda: [item(entry) for entry in self.menu_items()])
        self.icon = pystray.Icon("blocker", icons.draw("unreachable", 64), "blocker", menu)
        try:
            self.icon.run(setup=self._started)
        except Exception as error:  # noqa: BLE001  (GLib.GError, from a backend we may lack)
            # The GTK and AppIndicator backends give up when the session has no
            # notification service; the plain X backend still shows the state.
            logger.warning(
                "the tray's desktop backend failed (%s); using the X backend, which has no menu",
                error,
            )
            from pystray import _xorg

            self.icon = _xorg.Icon("blocker", icons.draw("unreachable", 64), "blocker", menu)
            self.icon.run(setup=self._started)
        self.stopped.set()
