"""The clipboard, for "Block the profile I copied": read through GTK where the tray's menu
runs on GTK's main loop (pystray's AppIndicator and GTK backends load it anyway), else
through the first of wl-paste, xclip and xsel found on PATH.

Threads: read() is called on the tray's worker. GTK may only be touched on its own
thread, so the GTK reader hands the request to GTK's main loop (GLib.idle_add, which is
safe from any thread) and waits for the answer with a timeout; it must never be called
on GTK's thread itself (it would wait for itself until the timeout)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

GTK_SECONDS = 3.0  # the owner of the selection answers GTK within this, or not at all
TOOL_SECONDS = 5.0
# pystray's backends that run GTK's main loop, by their module.
GTK_BACKENDS = frozenset({"pystray._appindicator", "pystray._gtk"})
# What to install when nothing here can read the clipboard, for the notification and doctor.
INSTALL = "wl-clipboard (on Wayland) or xclip (on X)"


@dataclass(frozen=True)
class Copied:
    """What read() found: the text (None or empty: nothing copied) and how it was read
    (None: no way to read the clipboard works here)."""

    text: str | None
    how: str | None


def tool_commands() -> list[list[str]]:
    return [
        ["wl-paste", "--no-newline"],
        ["xclip", "-o", "-selection", "clipboard"],
        ["xsel", "--clipboard", "--output"],
    ]


def tools_found() -> list[str]:
    """The clipboard programs on PATH, in the order they are tried."""
    return [command[0] for command in tool_commands() if shutil.which(command[0]) is not None]


def _read_with_tools() -> Copied:
    for command in tool_commands():
        if shutil.which(command[0]) is None:
            continue
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TOOL_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            logger.info("%s failed: %s", command[0], error)
            continue
        if result.returncode == 0:
            return Copied(result.stdout.strip(), command[0])
        # wl-paste and xclip fail on an empty clipboard too: the next tool may still read it
        logger.info("%s ended with %s: %s", command[0], result.returncode, result.stderr.strip())
    return Copied(None, None)


def _read_with_gtk() -> str | None:
    """The clipboard's text through GTK's main loop; None when it holds no text or the
    loop did not answer in time."""
    import gi  # type: ignore[import-untyped]  # PyGObject ships no types

    gi.require_version("Gtk", "3.0")
    from gi.repository import Gdk, GLib, Gtk  # type: ignore[import-untyped]

    answered = threading.Event()
    found: list[str | None] = [None]

    def received(_clipboard: Any, text: str | None) -> None:
        found[0] = text
        answered.set()

    def ask() -> bool:  # on GTK's thread
        try:
            Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD).request_text(received)
        except Exception:  # a failure here would only reach GLib's log: end the wait
            logger.exception("GTK could not ask for the clipboard")
            answered.set()
        return False  # once, not again at the next idle moment

    GLib.idle_add(ask)
    if not answered.wait(GTK_SECONDS):
        logger.info("GTK's main loop did not give the clipboard within %s s", GTK_SECONDS)
    return found[0]


class Clipboard:
    """Reads the clipboard: through GTK if `gtk` (its main loop runs), else the tools.
    Blocks for at most a few seconds; call from the tray's worker, never GTK's thread."""

    def __init__(self, *, gtk: bool = False) -> None:
        self.gtk = gtk

    def read(self) -> Copied:
        if self.gtk:
            try:
                text = _read_with_gtk()
            except (ImportError, ValueError) as error:  # no PyGObject, or no GTK 3 in it
                logger.info("GTK cannot read the clipboard here: %s", error)
            else:
                if text:
                    return Copied(text.strip(), "GTK")
        copied = _read_with_tools()
        if copied.how is None and self.gtk:
            return Copied(None, "GTK")  # GTK read it and found no text; no tool did better
        return copied


def for_icon(icon: object) -> Clipboard:
    """The reader for a pystray icon: through GTK where its backend runs GTK's loop."""
    return Clipboard(gtk=type(icon).__module__ in GTK_BACKENDS)
