"""What each menu item does: one handler for each Action, in HANDLERS. They run on the
tray's worker thread (tray.py), one at a time, so they read and change the tray's state
freely; what they show comes from the daemon's answers and messages.py's words."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from blocker.desktop import session as desktop
from blocker.desktop.trayview import Action
from blocker.ipc import protocol

if TYPE_CHECKING:
    from blocker.desktop.tray import Tray


def pause(tray: Tray) -> None:
    answer = tray.ask(protocol.Pause().to_json())
    if answer is not None and not answer.get("ok"):
        tray.notifier.show("No pause now", str(answer.get("error")))


def cancel(tray: Tray) -> None:
    tray.ask(protocol.Cancel().to_json())


def offer_clipboard(tray: Tray) -> None:
    copied = desktop.read_clipboard()
    if not copied:
        tray.notifier.show(
            "Nothing copied",
            "Copy the profile's address in your browser, then choose this again.",
        )
        return
    try:
        _, _, target = tray.blocklist.entry(copied, whole_site=False)
    except Exception as error:  # noqa: BLE001  (any refusal is shown, never raised)
        tray.notifier.show("That is not a profile blocker knows", str(error))
        return
    tray.state.to_add = copied
    pages = ", ".join(target.url_prefixes[:2])
    tray.notifier.show(
        f"Block {target.label}?",
        f'This blocks {pages}. Choose "Yes, block it" in the menu to confirm.',
    )


def confirm_add(tray: Tray) -> None:
    state = tray.state
    if not state.to_add:
        return
    answer = tray.ask(protocol.Add(state.to_add).to_json())
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


def show_progress(tray: Tray) -> None:
    from blocker.desktop import chart  # Pillow drawing: only when asked

    answer = tray.ask(protocol.Stats().to_json())
    if answer is None or not answer.get("ok"):
        return
    picture = Path(tempfile.gettempdir()) / f"blocker-progress-{os.getuid()}.png"
    chart.draw(answer["stats"]).save(picture, format="PNG")
    picture.chmod(0o600)
    desktop.open_file(picture)


def open_list(tray: Tray) -> None:
    path = tray.blocklist.path
    if not desktop.open_file(path):
        tray.notifier.show(
            "Your block list",
            f"It is {path}; open it with `sudoedit {path}`, then `blocker check`.",
        )


def quit_tray(tray: Tray) -> None:
    tray.notifier.show("The tray is closed", "Your block stays on; the daemon keeps it.")
    tray.stop()  # on the worker itself: it ends after this job, the others now
    if tray.icon is not None:
        tray.icon.stop()


HANDLERS: Mapping[Action, Callable[[Tray], None]] = MappingProxyType(
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
