"""What each menu item does: one handler for each Action, in HANDLERS, given the item's
value (a pause's length) or None. They run on the tray's worker thread (tray.py), one at
a time, so they read and change the tray's state freely; what they show comes from the
daemon's answers and messages.py's words."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from blocker.desktop import clipboard
from blocker.desktop import session as desktop
from blocker.desktop.trayview import Action
from blocker.ipc import protocol

if TYPE_CHECKING:
    from blocker.desktop.tray import Tray


def pause(tray: Tray, length: str | None = None) -> None:
    """The request `blocker pause 10m` sends; the daemon's cooldown_started event says
    the rest (messages.py, in `blocker pause`'s words)."""
    answer = tray.ask(protocol.Pause(length).to_json())
    if answer is not None and not answer.get("ok"):
        tray.notifier.show("No pause now", str(answer.get("error")))


def cancel(tray: Tray, _: str | None = None) -> None:
    tray.ask(protocol.Cancel().to_json())


def offer_clipboard(tray: Tray, _: str | None = None) -> None:
    copied = tray.clipboard.read()
    if copied.how is None:
        tray.notifier.show(
            "blocker cannot read the clipboard here",
            f"Install {clipboard.INSTALL}, or add the profile with `blocker add` and its address.",
        )
        return
    if not copied.text:
        tray.notifier.show(
            "Nothing copied",
            "Copy the profile's address in your browser, then choose this again.",
        )
        return
    try:
        target = tray.blocklist.entry(copied.text, whole_site=False)[2]
    except Exception as error:  # noqa: BLE001  (any refusal is shown, never raised)
        tray.notifier.show("That is not a profile blocker knows", str(error))
        return
    tray.state.to_add = (copied.text, target.label)
    pages = ", ".join(target.url_prefixes[:2])
    tray.notifier.show(
        f"Block {target.label}?",
        f'This blocks {pages}. Choose "Yes, block {target.label}" in the menu to confirm.',
    )


def confirm_add(tray: Tray, _: str | None = None) -> None:
    state = tray.state
    if not state.to_add:
        return
    answer = tray.ask(protocol.Add(state.to_add[0]).to_json())
    state.to_add = None
    if answer is not None:
        undo = ""
        if answer.get("undo_command") and answer.get("undo_until"):
            until = str(answer["undo_until"])[11:16]  # the daemon's local time, as HH:MM
            command = answer["undo_command"]
            undo = f" Added by mistake? `{command}` takes it back at once until {until}."
        tray.notifier.show(
            "Blocked",
            f"{answer.get('label', '')} is on your block list.{undo}"
            if answer.get("ok")
            else str(answer.get("error")),
        )


def show_progress(tray: Tray, _: str | None = None) -> None:
    from blocker.desktop import chart  # Pillow drawing: only when asked

    answer = tray.ask(protocol.Stats().to_json())
    if answer is None or not answer.get("ok"):
        return
    picture = Path(tempfile.gettempdir()) / f"blocker-progress-{os.getuid()}.png"
    chart.draw(answer["stats"]).save(picture, format="PNG")
    picture.chmod(0o600)
    desktop.open_file(picture)


def open_list(tray: Tray, _: str | None = None) -> None:
    path = tray.blocklist.path
    if not desktop.open_file(path):
        tray.notifier.show(
            "Your block list",
            f"It is {path}; open it with `sudoedit {path}`, then `blocker check`.",
        )


def quit_tray(tray: Tray, _: str | None = None) -> None:
    tray.notifier.show("The tray is closed", "Your block stays on; the daemon keeps it.")
    tray.stop()  # on the worker itself: it ends after this job, the others now
    if tray.icon is not None:
        tray.icon.stop()


HANDLERS: Mapping[Action, Callable[[Tray, str | None], None]] = MappingProxyType(
    {
        Action.PAUSE: pause,
        Action.CANCEL: cancel,
        Action.ADD_CLIPBOARD: offer_clipboard,
        Action.CONFIRM_ADD: confirm_add,
        Action.OPEN_LIST: open_list,
        Action.PROGRESS: show_progress,
        Action.QUIT: quit_tray,
    }
)
