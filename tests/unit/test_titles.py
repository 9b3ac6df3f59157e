"""The window-title watcher against a fake window list."""

from __future__ import annotations

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.watch.titles import TitleWatcher, Window, matches

BROWSERS = shipped_browsers()
PATTERNS = ("(@alex.example)",)
PROFILE = "Alex (@Alex.Example) • Instagram photos and videos - Chromium"


class FakeWindows:
    def __init__(self, *windows: Window) -> None:
        self.list = list(windows)

    def windows(self) -> list[Window]:
        return self.list


def test_a_browser_window_showing_the_profile_matches_without_regard_to_case() -> None:
    window = Window(1, PROFILE, ("chromium (/tmp/p)", "Chromium"))
    (match,) = matches([window], PATTERNS, BROWSERS)
    assert match.browser == "Chromium"
    assert match.pattern == "(@alex.example)"


def test_other_programs_windows_never_match() -> None:
    assert matches([Window(2, PROFILE, ("gedit", "Gedit"))], PATTERNS, BROWSERS) == []


def test_firefox_windows_are_recognised_by_their_class() -> None:
    window = Window(3, "Alex (@alex.example) — Mozilla Firefox", ("Navigator", "firefox-esr"))
    assert matches([window], PATTERNS, BROWSERS)[0].browser == "Firefox"


def test_an_open_profile_is_reported_once_and_again_after_it_was_left() -> None:
    source = FakeWindows(Window(1, PROFILE, ("chromium", "Chromium")))
    watcher = TitleWatcher(source, BROWSERS)
    assert len(watcher.scan(PATTERNS)) == 1
    assert watcher.scan(PATTERNS) == []
    source.list = [Window(1, "New Tab - Chromium", ("chromium", "Chromium"))]
    assert watcher.scan(PATTERNS) == []
    source.list = [Window(1, PROFILE, ("chromium", "Chromium"))]
    assert len(watcher.scan(PATTERNS)) == 1
