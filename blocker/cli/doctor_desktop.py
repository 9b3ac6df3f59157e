"""`blocker doctor`'s desktop lines: the kind of session, the window titles, the tray and
how it reads a copied profile, each as checked here without a display being needed."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping

from blocker.cli.doctor import Layer
from blocker.watch.titles import x11_available


def desktop_layers() -> list[Layer]:
    return [session_layer(), _title_layer(), tray_layer(), clipboard_layer()]


def session_layer(environ: Mapping[str, str] = os.environ) -> Layer:
    """What kind of desktop session this is, and what of blocker works in it: the block
    itself works in any, the tray and the window titles depend on it."""
    if wayland := environ.get("WAYLAND_DISPLAY"):
        desktop = environ.get("XDG_CURRENT_DESKTOP", "")
        tray = (
            "GNOME shows the tray's icon only with its AppIndicator extension "
            "(`gnome-extensions list --enabled` says whether it is on)"
            if "GNOME" in desktop.upper().split(":")
            else "the tray's icon shows where the desktop shows app indicators"
        )
        return Layer(
            "desktop session",
            True,
            f"Linux, Wayland ({wayland}): the block works as in any session; {tray}; "
            "Wayland lets no program read other programs' window titles",
        )
    if display := environ.get("DISPLAY"):
        return Layer(
            "desktop session",
            True,
            f"Linux, X11 ({display}): the tray's icon and menu, the clipboard and "
            "browser window titles can all be read here",
        )
    return Layer(
        "desktop session",
        False,
        "none here (no DISPLAY or WAYLAND_DISPLAY, which sudo does not pass on): the block works "
        "without one, but the tray and its notifications run in your desktop session; "
        "run `blocker doctor` there, without sudo, to check them",
    )


def _title_layer() -> Layer:
    if x11_available():
        return Layer("window titles", True, f"read from the X display {os.environ['DISPLAY']}")
    if os.environ.get("WAYLAND_DISPLAY"):
        reason = "Wayland lets no program read other programs' window titles"
    else:
        reason = "no display here (the daemon reads titles when it runs in your session)"
    return Layer("window titles", False, reason)


def tray_layer() -> Layer:
    """Which pystray backend the tray gets here (without importing it: that needs a display)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Layer("tray", False, "no display here to show an icon on")
    if importlib.util.find_spec("gi") is None:
        return Layer(
            "tray",
            False,
            "X backend only: the icon shows the state but has no "
            "menu; install blocker[desktop] (PyGObject) for the menu",
        )
    return Layer(
        "tray",
        True,
        "AppIndicator or GTK backend, with its menu (falls back to the "
        "X backend, without a menu, where the desktop has no notification service)",
    )


def _gtk_found() -> bool:
    """Whether PyGObject and GTK 3's bindings are installed (checked without loading GTK,
    which needs a display)."""
    if importlib.util.find_spec("gi") is None:
        return False
    import gi  # type: ignore[import-untyped]  # PyGObject ships no types

    try:
        gi.require_version("Gtk", "3.0")  # only looks for GTK 3's typelib
    except ValueError:
        return False
    return True


def clipboard_layer() -> Layer:
    """How the tray reads a copied profile here: what is installed, as checked here (the
    clipboard itself is not read: doctor may run where no desktop is)."""
    from blocker.desktop import clipboard  # stdlib only until it reads

    name = "tray: reading the profile you copied"
    tools = clipboard.tools_found()
    found = f"{', '.join(tools)} (found on PATH)" if tools else ""
    if _gtk_found():
        fallback = f"with {found}" if tools else f"nothing: install {clipboard.INSTALL} for it"
        return Layer(
            name,
            True,
            "through GTK while the tray has its menu (PyGObject with GTK 3 is installed); "
            f"on the X backend, {fallback}",
        )
    if tools:
        return Layer(name, True, f"with {found}")
    return Layer(
        name,
        False,
        f"nothing here can: install {clipboard.INSTALL}, or PyGObject with GTK 3 "
        "(blocker[desktop]); `blocker add` takes the address meanwhile",
    )
