"""The tray on pystray: its icon and a menu made of trayview's Items (a submenu for an
Item with one), on the backend pystray picks, or on the X backend where that one cannot
start. The clipboard is read the way the chosen backend allows (clipboard.for_icon)."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from blocker.desktop import clipboard, icons, trayview
from blocker.errors import BlockerError

if TYPE_CHECKING:
    from blocker.desktop.tray import Tray

logger = logging.getLogger(__name__)


def run(tray: Tray) -> None:
    """Icon.run() on this (the main) thread until the tray quits."""
    try:
        import pystray  # imports a desktop backend: only where there is a desktop
    except Exception as error:  # noqa: BLE001  (Xlib's errors, for a display not there)
        where = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or "none"
        raise BlockerError(
            f"the tray cannot reach the desktop (display {where}: {error}); the "
            "daemon keeps the block without it, and `blocker status` tells it"
        ) from None

    def item(entry: trayview.Item) -> Any:
        if entry.submenu:
            return pystray.MenuItem(entry.label, pystray.Menu(*map(item, entry.submenu)))
        action, value = entry.action, entry.value
        return pystray.MenuItem(
            entry.label,
            (lambda: tray.click(action, value)) if action is not None else None,
            enabled=entry.enabled and action is not None,
            default=entry.default,
        )

    menu = pystray.Menu(lambda: [item(entry) for entry in tray.menu_items()])
    tray.icon = pystray.Icon("blocker", icons.draw("unreachable", 64), "blocker", menu)
    tray.clipboard = clipboard.for_icon(tray.icon)
    try:
        tray.icon.run(setup=tray.started)
    except Exception as error:  # noqa: BLE001  (GLib.GError, from a backend we may lack)
        # The GTK and AppIndicator backends give up when the session has no
        # notification service; the plain X backend still shows the state.
        logger.warning(
            "the tray's desktop backend failed (%s); using the X backend, which has no menu",
            error,
        )
        from pystray import _xorg

        logging.getLogger("pystray._base").addFilter(_OnceUndocked())
        tray.icon = _xorg.Icon("blocker", icons.draw("unreachable", 64), "blocker", menu)
        tray.clipboard = clipboard.for_icon(tray.icon)  # no GTK loop runs now
        tray.icon.run(setup=tray.started)


class _OnceUndocked(logging.Filter):
    """pystray's X backend logs "Failed to dock icon" with a traceback at every redraw
    while no system tray runs to dock into (a bare X session, a tray host not started
    yet): said once, in one line of ours, and quiet after that."""

    said = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "Failed to dock icon":
            return True
        if self.said:
            return False
        self.said = True
        record.msg = (
            "no system tray runs in this session to show the icon in (a panel's tray area, "
            "or GNOME's AppIndicator extension); the daemon keeps the block meanwhile"
        )
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
