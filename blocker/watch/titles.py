"""Notice a blocked profile open in a browser tab by its window title.

Single-page sites change profile without loading a page, which URL policies never see,
but the title follows (`Alex (@alex.example) • Instagram photos and videos - Chromium`).
On X11 the titles of browser windows are read from `_NET_WM_NAME`; on Wayland and macOS
no program may read other programs' window titles, and `blocker doctor` says so.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from blocker.blocklist.browser_catalog import Browser

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    id: int
    title: str
    wm_class: tuple[str, ...]


@dataclass(frozen=True)
class TitleMatch:
    window: Window
    browser: str
    pattern: str


class WindowSource(Protocol):
    """Top-level windows with their titles. Blocks for a few round trips; one thread."""

    def windows(self) -> list[Window]: ...


def browser_of(window: Window, browsers: Iterable[Browser]) -> Browser | None:
    classes = " ".join(window.wm_class).lower()
    return next((b for b in browsers if b.key in classes), None)


def matches(
    windows: Iterable[Window], patterns: Iterable[str], browsers: Iterable[Browser]
) -> list[TitleMatch]:
    """Browser windows whose title shows a blocked profile (case-insensitive)."""
    lowered = [(p, p.lower()) for p in patterns]
    found = []
    for window in windows:
        browser = browser_of(window, browsers)
        if browser is None:
            continue
        title = window.title.lower()
        hit = next((p for p, low in lowered if low in title), None)
        if hit is not None:
            found.append(TitleMatch(window, browser.name, hit))
    return found


class X11Windows:
    """Reads window titles from an X server (python-xlib, which pystray already uses)."""

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import display

        self.display: Any = display.Display(display_name)
        self.root = self.display.screen().root
        self.net_wm_name = self.display.intern_atom("_NET_WM_NAME")
        self.utf8 = self.display.intern_atom("UTF8_STRING")

    def close(self) -> None:
        self.display.close()

    def windows(self) -> list[Window]:
        from Xlib.error import BadWindow

        found: list[Window] = []
        # Top-level windows are the root's children, or one level further down under a
        # window manager that wraps each in a frame. Windows come and go while we look:
        # one that is gone by the time we ask about it is skipped.
        for child in self.root.query_tree().children:
            try:
                candidates = (child, *child.query_tree().children)
            except BadWindow:
                continue
            for window in candidates:
                try:
                    title = window.get_full_property(self.net_wm_name, self.utf8)
                    wm_class = window.get_wm_class() if title and title.value else None
                except BadWindow:
                    continue
                if title is None or not title.value:
                    continue
                value = title.value
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                found.append(Window(window.id, text, tuple(wm_class or ())))
        return found


def x11_available() -> bool:
    return bool(os.environ.get("DISPLAY")) and not os.environ.get("WAYLAND_DISPLAY")


class TitleWatcher:
    """Reports a window once when its title turns into a blocked one, not every scan."""

    def __init__(self, source: WindowSource, browsers: tuple[Browser, ...]) -> None:
        self.source = source
        self.browsers = browsers
        self.reported: set[tuple[int, str]] = set()

    def close(self) -> None:
        closer = getattr(self.source, "close", None)
        if closer is not None:
            closer()

    def scan(self, patterns: Iterable[str]) -> list[TitleMatch]:
        current = matches(self.source.windows(), patterns, self.browsers)
        keys = {(m.window.id, m.window.title) for m in current}
        new = [m for m in current if (m.window.id, m.window.title) not in self.reported]
        self.reported = keys
        return new


def connect(browsers: tuple[Browser, ...]) -> TitleWatcher | None:
    """A watcher on this session's X display, or None where titles cannot be read."""
    if not x11_available():
        return None
    try:
        return TitleWatcher(X11Windows(), browsers)
    except Exception as error:  # noqa: BLE001  (python-xlib raises many kinds; none is fatal)
        logger.warning("cannot read window titles from the display (%s); that layer is off", error)
        return None
