"""The tray's behaviour without a desktop: its menu clicks, handled on its worker, become
requests a real daemon (in this process) answers, its notifications say what happened,
and it follows the daemon's events and its going away. pystray's icon is replaced by a
stand-in that records what the tray drew, and the notification service by a recorder;
the clipboard and the file opener are small programs on PATH, run as the real ones
would be."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop.notify import Notifier
from blocker.desktop.tray import Tray
from blocker.desktop.trayview import Action, every_item
from tests.daemon_thread import ANSWER_SECONDS, Running, wait_until


class ShownNotifications(Notifier):
    """Keeps what the tray showed instead of asking the session's notification service."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []
        self.arrived = threading.Condition()

    def show(self, title: str, body: str, *, urgent: bool = False) -> bool:
        with self.arrived:
            self.shown.append((title, body))
            self.arrived.notify_all()
        return True

    def wait_for(self, title: str) -> str:
        with self.arrived:
            found = self.arrived.wait_for(
                lambda: any(t == title for t, _ in self.shown), ANSWER_SECONDS
            )
        assert found, f"no notification {title!r} among {self.shown}"
        return next(body for t, body in self.shown if t == title)


@dataclass
class DrawnIcon:
    """What pystray's Icon is told: its picture, its tooltip, menu updates, stop."""

    icon: Image.Image | None = None
    title: str = ""
    menu_updates: int = 0
    stopped: bool = False

    def update_menu(self) -> None:
        self.menu_updates += 1

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the programs a test puts there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def put_program(folder: Path, name: str, script: str) -> None:
    program = folder / name
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)


@pytest.fixture
def tray(running: Running, programs: Path) -> Iterator[Tray]:
    blocklist = BlockListFile(running.paths.config, shipped_catalog(), frozenset())
    made = Tray(running.paths.socket, blocklist, ShownNotifications())
    made.icon = DrawnIcon()
    made.worker.start()  # the worker alone; the listener and ticker where a test starts them
    yield made
    made.stop()


def click(tray: Tray, action: Action, value: str | None = None) -> None:
    """A menu click, once the worker has handled it: each click ends in a redraw."""
    drawn = tray.icon.menu_updates
    tray.click(action, value)
    wait_until(lambda: tray.icon.menu_updates > drawn, f"the {action} click handled")


def menu(tray: Tray) -> list[str | None]:
    """The actions of the menu's items, those in its submenus too."""
    return [item.action for item in every_item(tray.shown.items)]


def shown(tray: Tray) -> ShownNotifications:
    assert isinstance(tray.notifier, ShownNotifications)
    return tray.notifier


def test_the_icon_shows_the_daemons_status_in_its_tooltip(tray: Tray) -> None:
    click(tray, Action.CANCEL)  # nothing to cancel: the click's redraw shows the status
    assert tray.icon.title == "blocker: Day 8 of 30 · blocking until 20 Dec (in 22 days)"
    assert tray.icon.icon.size == (64, 64)
    assert tray.icon.menu_updates == 1
    assert Action.PAUSE in menu(tray)


def test_a_pause_from_the_menu_is_asked_of_the_daemon_and_cancel_takes_it_back(
    tray: Tray, running: Running
) -> None:
    click(tray, Action.PAUSE)
    assert running.status()["pause"]["state"] == "cooldown"
    assert Action.CANCEL in menu(tray)
    click(tray, Action.CANCEL)
    assert running.status()["pause"]["state"] == "none"


def test_the_pause_submenu_offers_lengths_up_to_the_lists_longest_and_asks_for_the_one_chosen(
    tray: Tray, running: Running
) -> None:
    click(tray, Action.CANCEL)  # the click's redraw brings the daemon's status
    pauses = [i for i in every_item(tray.shown.items) if i.action == Action.PAUSE]
    assert [(i.label, i.value) for i in pauses] == [
        ("Pause for 5 minutes", "5m"),
        ("Pause for 10 minutes", "10m"),  # the list's max_length
    ]
    click(tray, Action.PAUSE, "5m")
    pause = running.status()["pause"]
    assert pause["state"] == "cooldown"
    length = datetime.fromisoformat(pause["ends_at"]) - datetime.fromisoformat(pause["starts_at"])
    assert length == timedelta(minutes=5)
    # Now no pause may be asked for: the item says why, in the daemon's words, greyed out.
    refusal = running.status()["pause_offer"]["refusal"]
    assert refusal
    assert Action.PAUSE not in menu(tray)
    said = next(i for i in tray.shown.items if i.label.startswith("No pause now: "))
    assert not said.enabled
    assert refusal.startswith(said.label.removeprefix("No pause now: ").rstrip("…"))


def test_a_pause_the_daemon_refuses_is_told_in_a_notification(tray: Tray, running: Running) -> None:
    waiting = running.ask(op="pause")["request"]
    click(tray, Action.PAUSE)
    sandbox = running.paths.root.parent  # the command it suggests runs in the daemon's sandbox
    assert shown(tray).wait_for("No pause now") == (
        f"a pause is already waiting for its cooldown ({waiting}); "
        f"`blocker --sandbox {sandbox} cancel` drops it"
    )
    assert [r["id"] for r in running.status()["pause"]["pending"]] == [waiting]


def test_a_copied_profile_is_offered_then_blocked_when_confirmed(
    tray: Tray, running: Running, programs: Path
) -> None:
    put_program(programs, "wl-paste", "printf 'https://www.tiktok.com/@alex.example'")
    click(tray, Action.ADD_CLIPBOARD)
    assert "tiktok.com/@alex.example" in shown(tray).wait_for("Block tiktok: alex.example?")
    first = tray.shown.items[0]
    assert (first.label, first.action) == ("Yes, block tiktok: alex.example", Action.CONFIRM_ADD)
    click(tray, Action.CONFIRM_ADD)
    assert shown(tray).wait_for("Blocked") == "tiktok: alex.example is on your block list."
    assert "  - tiktok: alex.example\n" in running.paths.config.read_text()
    assert tray.shown.items[0].action != Action.CONFIRM_ADD


def test_nothing_copied_or_something_unknown_is_said_and_nothing_is_offered(
    tray: Tray, programs: Path
) -> None:
    click(tray, Action.ADD_CLIPBOARD)  # no clipboard program at all, and no GTK loop
    assert "xclip" in shown(tray).wait_for("blocker cannot read the clipboard here")
    put_program(programs, "xsel", "exit 0")  # an empty clipboard
    click(tray, Action.ADD_CLIPBOARD)
    assert "Copy the profile's address" in shown(tray).wait_for("Nothing copied")
    put_program(programs, "xclip", "printf 'not a profile at all'")
    click(tray, Action.ADD_CLIPBOARD)
    shown(tray).wait_for("That is not a profile blocker knows")
    assert Action.CONFIRM_ADD not in menu(tray)


# The tray lets the opener run on by itself (a session of its own), so it never waits on it.
@pytest.mark.filterwarnings("ignore:subprocess .* is still running:ResourceWarning")
def test_the_list_opens_in_the_editor_or_the_tray_says_where_it_is(
    tray: Tray, running: Running, programs: Path
) -> None:
    click(tray, Action.OPEN_LIST)
    hint = shown(tray).wait_for("Your block list")
    assert f"sudoedit {running.paths.config}" in hint
    opened = programs.parent / "opened"
    put_program(programs, "xdg-open", f'printf "%s" "$1" > {opened}')
    click(tray, Action.PROGRESS)
    picture = Path(_wait_for_text(opened))
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert stat.S_IMODE(picture.stat().st_mode) == 0o600


def _wait_for_text(path: Path) -> str:
    wait_until(lambda: path.exists() and bool(path.read_text()))
    return path.read_text()


def test_quitting_says_the_block_stays_and_stops_the_icon(tray: Tray) -> None:
    tray.click(Action.QUIT)
    assert shown(tray).wait_for("The tray is closed") == (
        "Your block stays on; the daemon keeps it."
    )
    wait_until(lambda: not tray.worker.alive(), "the worker ending")
    assert tray.icon.stopped is True


def test_the_tray_follows_events_and_shows_when_the_daemon_goes_away(
    tray: Tray, running: Running
) -> None:
    tray.start()
    wait_until(lambda: tray.shown.view.icon == "blocking")  # subscribed: it had the status
    running.ask(op="pause")  # as `blocker pause` asks: the tray confirms it in its words
    body = shown(tray).wait_for("Your pause is waiting")
    assert body.startswith("Your pause of 10 minutes starts at ")
    assert " and ends at " in body
    running.stop()
    gone = "blocker: the blocker daemon is not running"
    wait_until(lambda: tray.icon.title == gone, "the icon showing the daemon gone")
    assert tray.shown.view.icon == "unreachable"
    tray.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("tray-")]


def test_a_profile_confirmed_in_the_tray_says_until_when_it_comes_off_at_once(
    tray: Tray, running: Running, programs: Path
) -> None:
    put_program(programs, "wl-paste", "printf 'https://www.instagram.com/jordan.lee.92/'")
    click(tray, Action.ADD_CLIPBOARD)
    click(tray, Action.CONFIRM_ADD)
    sandbox = running.paths.root.parent
    assert shown(tray).wait_for("Blocked") == (
        "instagram: jordan.lee.92 is on your block list. Added by mistake? "
        f"`blocker --sandbox {sandbox} remove instagram:jordan.lee.92` takes it back at once "
        "until 13:05."
    )
