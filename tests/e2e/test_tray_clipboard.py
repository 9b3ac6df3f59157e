"""The tray's "Block the profile I copied" in a real desktop session (desktop_session.py):
the X clipboard is owned by another GTK program, as a browser owns it after "Copy link",
and the tray reads it through GTK with no clipboard program on its PATH, or, without
GTK's loop (pystray's X backend), through xclip; with neither, it says what to install."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop.clipboard import Clipboard
from blocker.desktop.notify import Notifier
from blocker.desktop.tray import Tray
from blocker.desktop.trayview import Action
from tests.e2e.desktop_session import (
    MENU_BOX,
    Desktop,
    clipboard_holding,
    notify_calls,
    only_programs,
    open_menu,
    shows,
    start_tray,
    stop,
    wait_for_icon,
)
from tests.e2e.helpers import SandboxDaemon, wait_for
from tests.e2e.test_tray import BLOCK_LIST

COPIED = "https://www.tiktok.com/@alex.example?lang=en"
ENTRY = "tiktok: alex.example"  # as the block list names it
TOOLS = ("wl-paste", "xclip", "xsel")


def _key(desktop: Desktop, *keys: str) -> None:
    subprocess.run(["xdotool", "key", *keys], env=desktop.env, check=True, timeout=10)


def _within(seconds: float, condition: Callable[[], bool]) -> bool:
    ends = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > ends:
            return False
        time.sleep(0.1)
    return True


def _open_menu(desktop: Desktop) -> None:
    """desktop_session.open_menu, clicked again where the first click opened no menu (it
    may come while GTK still closes the one before, and the click then closes it)."""
    for _ in range(2):
        _key(desktop, "Escape")
        subprocess.run(
            ["xdotool", "mousemove", "12", "16", "click", "1"],
            env=desktop.env,
            check=True,
            timeout=10,
        )
        if _within(5, lambda: shows(desktop.display, (255, 255, 255), MENU_BOX)):
            return
    open_menu(desktop)  # a last time, failing the test if no menu comes


def test_a_copied_profile_is_read_through_gtk_with_no_clipboard_program_and_blocked_when_confirmed(
    desktop: Desktop, tmp_path: Path
) -> None:
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    daemon.start()
    path = only_programs(tmp_path / "bin", "notify-send")  # no wl-paste, xclip or xsel
    with clipboard_holding(desktop, COPIED):
        host, tray = start_tray(desktop, daemon.folder, path)
        try:
            wait_for_icon(desktop, "blocking", 20)
            _open_menu(desktop)
            # From the bottom: Quit, Progress, Open my block list, Pause the block, then
            # "Block the profile I copied".
            _key(desktop, "Up", "Up", "Up", "Up", "Up", "Return")
            wait_for(
                lambda: any(ENTRY in c.summary for c in notify_calls(desktop)),
                10,
                "the copied profile offered",
            )
            assert ENTRY not in (daemon.folder / "blocklist.yaml").read_text()
            # The notification comes just before the tray redraws its menu: a menu opened
            # in between has no "Yes" yet, and its first item offers the profile again.
            for _ in range(3):
                _open_menu(desktop)
                _key(desktop, "Down", "Return")  # the first item: "Yes, block tiktok: ..."
                if _within(5, lambda: ENTRY in (daemon.folder / "blocklist.yaml").read_text()):
                    break
            assert ENTRY in (daemon.folder / "blocklist.yaml").read_text()
            assert any(e["label"] == ENTRY for e in daemon.status()["truth"]["entries"])
            assert tray.poll() is None
        finally:
            stop(tray, host)
            daemon.kill()


@pytest.fixture
def tray(desktop: Desktop, tmp_path: Path) -> Iterator[Tray]:
    """The tray in this process, as on pystray's X backend: no GTK loop runs for it."""
    daemon = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    daemon.start()
    made = Tray(
        daemon.folder / "control.sock",
        BlockListFile(daemon.folder / "blocklist.yaml", shipped_catalog(), frozenset()),
        Notifier(),
    )
    made.clipboard = Clipboard(gtk=False)
    made.start()
    try:
        wait_for(lambda: made.shown.view.icon == "blocking", 10, "the tray seeing the block")
        yield made
    finally:
        made.stop()
        daemon.kill()


def test_without_gtk_the_copied_profile_is_read_with_xclip(
    desktop: Desktop, tray: Tray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xclip") is None:
        pytest.skip("xclip is needed (scripts/test installs it)")
    monkeypatch.setenv("PATH", only_programs(tmp_path / "bin", "xclip", "notify-send"))
    with clipboard_holding(desktop, COPIED):
        tray.click(Action.ADD_CLIPBOARD)
        wait_for(
            lambda: tray.menu_items()[0].action == Action.CONFIRM_ADD, 10, "the profile offered"
        )
    assert tray.menu_items()[0].label == f"Yes, block {ENTRY}"


def test_without_gtk_or_a_clipboard_program_the_tray_names_what_to_install(
    desktop: Desktop, tray: Tray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", only_programs(tmp_path / "bin", "notify-send"))
    with clipboard_holding(desktop, COPIED):
        tray.click(Action.ADD_CLIPBOARD)
        wait_for(lambda: len(notify_calls(desktop)) > 0, 10, "a notification")
    said = notify_calls(desktop)[-1]
    assert all(tool in said.body for tool in ("xclip", "wl-clipboard"))
    assert tray.menu_items()[0].action != Action.CONFIRM_ADD
