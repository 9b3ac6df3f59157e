"""The tray in a real desktop session, headless: Xvfb, a D-Bus session bus, Debian's
dunst as the notification daemon and trayer as the tray host, against a sandbox daemon
(desktop_session.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop import messages
from blocker.desktop.notify import EXPIRE_SECONDS, Notifier
from blocker.desktop.tray import Tray
from blocker.desktop.trayview import Action, every_item
from blocker.ipc.events import Event
from blocker.ipc.wire import EventName
from tests.e2e.desktop_session import (
    Desktop,
    NotifyCall,
    notify_calls,
    open_menu,
    start_tray,
    stop,
    wait_for_icon,
)
from tests.e2e.helpers import SandboxDaemon, blocker_argv, wait_for

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REASON = "I want my evenings back."
BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    f"reasons:\n  - {REASON}\nsites:\n  - alexblog.example.com\n"
    "pause:\n  cooldown: 30s\n  max_length: 10s\n"
)


def test_a_pause_from_the_tray_menu_is_a_real_notification_with_the_persons_reason(
    desktop: Desktop,
) -> None:
    daemon = SandboxDaemon(desktop.notifications.parent / "sandbox", BLOCK_LIST)
    daemon.start()
    tray = Tray(
        daemon.folder / "control.sock",
        BlockListFile(daemon.folder / "blocklist.yaml", shipped_catalog(), frozenset()),
        Notifier(),
    )
    tray.start()
    try:
        wait_for(lambda: tray.shown.view.icon == "blocking", 10, "the tray seeing the block")
        pause = next(i for i in every_item(tray.menu_items()) if i.action == Action.PAUSE)
        assert pause.enabled
        tray.click(Action.PAUSE, pause.value)
        wait_for(
            lambda: "Your pause is waiting" in desktop.notifications.read_text(),
            10,
            "a Notify call on the bus",
        )
        seen = desktop.notifications.read_text()
        assert 'string "blocker"' in seen  # the app name
        assert REASON in seen  # the person's own reason comes first
        assert "This week you asked for 1 pause and cancelled 0." in seen
        waiting = next(c for c in notify_calls(desktop) if c.summary == "Your pause is waiting")
        # An ordinary notification: normal urgency, and it goes by itself.
        assert (waiting.urgency, waiting.expire_timeout) == (1, EXPIRE_SECONDS * 1000)
        first = tray.menu_items()[0]
        assert (first.label, first.default) == ("Cancel the pause", True)
        assert any(item.label.startswith("Pause starts in ") for item in tray.menu_items())

        daemon.kill()
        assert wait_for(lambda: tray.shown.view.icon == "unreachable", 2.5, "unreachable") < 2
        daemon.start()
        wait_for(lambda: tray.shown.view.icon == "cooldown", 10, "the tray recovering")
    finally:
        tray.stop()
        daemon.kill()


def _believable_list() -> str:
    """What README's screenshot shows: day 12 of a 60-day period, blocker's own cooldown."""
    first = date.today() - timedelta(days=11)
    return (
        f"period:\n  start: {first:%Y-%m-%d}\n  days: 60\n"
        f"reasons:\n  - {REASON}\nprofiles:\n  - instagram: alex.example\n"
        "sites:\n  - alexblog.example.com\n"
    )


@contextlib.contextmanager
def _blocking_tray(
    desktop: Desktop, folder: Path, block_list: str
) -> Iterator[tuple[SandboxDaemon, subprocess.Popen[str]]]:
    """A real daemon, a tray host and the real tray, once its icon shows the block."""
    daemon = SandboxDaemon(folder, block_list)
    daemon.start()
    host, tray = start_tray(desktop, daemon.folder)
    try:
        wait_for_icon(desktop, "blocking", 20)
        yield daemon, tray
    finally:
        stop(tray, host)
        daemon.kill()


def test_the_tray_icon_shows_in_a_real_tray_host_and_opens_its_menu(desktop: Desktop) -> None:
    from PIL import ImageGrab

    # A short folder, as a person trying it would pick: the notification names it.
    folder = Path(tempfile.mkdtemp(prefix="try-", dir="/tmp"))
    with _blocking_tray(desktop, folder, _believable_list()) as (daemon, tray):
        assert daemon.cli("pause", "10m").returncode == 0
        wait_for_icon(desktop, "cooldown", 10)
        wait_for(
            lambda: "Your pause is waiting" in desktop.notifications.read_text(),
            10,
            "the notification",
        )
        # The command it suggests is the sandbox's, as every hint under --sandbox is.
        assert f"blocker --sandbox {daemon.folder} cancel r1" in desktop.notifications.read_text()
        open_menu(desktop)
        ARTIFACTS.mkdir(exist_ok=True)
        ImageGrab.grab(xdisplay=desktop.display).save(ARTIFACTS / "tray-menu.png")
        assert tray.poll() is None
    shutil.rmtree(folder)


def test_quit_in_the_real_menu_says_the_block_stays_and_the_tray_exits_cleanly(
    desktop: Desktop,
) -> None:
    with _blocking_tray(desktop, desktop.notifications.parent / "sandbox", BLOCK_LIST) as (
        daemon,
        tray,
    ):
        open_menu(desktop)
        # Up from the top of an open menu selects its last item: "Quit tray".
        subprocess.run(["xdotool", "key", "Up", "Return"], env=desktop.env, check=True, timeout=10)
        _, errors = tray.communicate(timeout=15)
        assert tray.returncode == 0, errors
        assert "The tray is closed" in desktop.notifications.read_text()
        assert "Traceback" not in errors
        assert daemon.status()["blocking"]  # quitting the tray stops nothing


@pytest.mark.parametrize(
    "session",
    [{"DISPLAY": ":97"}, {"WAYLAND_DISPLAY": "wayland-97"}],
    ids=["an X display that is not there", "a Wayland display the toolkit cannot use"],
)
def test_a_display_that_cannot_be_reached_is_one_line_not_a_traceback(
    tmp_path: Path, session: dict[str, str]
) -> None:
    assert not Path("/tmp/.X11-unix/X97").exists()
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        blocker_argv("--sandbox", str(tmp_path / "try"), "tray"),
        env={**environment, **session, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("blocker: the tray cannot reach the desktop (display ")
    assert "the daemon keeps the block without it" in result.stderr
    assert result.stderr.count("\n") == 1


LONGER_PAUSES = BLOCK_LIST.replace("max_length: 10s", "max_length: 10m")


def test_a_length_chosen_in_the_real_pause_submenu_is_the_pause_the_daemon_waits_to_give(
    desktop: Desktop,
) -> None:
    with _blocking_tray(desktop, desktop.notifications.parent / "sandbox", LONGER_PAUSES) as (
        daemon,
        tray,
    ):
        open_menu(desktop)
        # From the bottom: Quit, Progress, Open my block list, then the pause's submenu,
        # whose first length (5 minutes) Right selects as it opens it.
        subprocess.run(
            ["xdotool", "key", "Up", "Up", "Up", "Up", "Right", "Return"],
            env=desktop.env,
            check=True,
            timeout=10,
        )
        wait_for(lambda: daemon.status()["pause"]["state"] == "cooldown", 10, "the pause asked")
        pause = daemon.status()["pause"]
        ends, starts = (datetime.fromisoformat(pause[k]) for k in ("ends_at", "starts_at"))
        assert ends - starts == timedelta(minutes=5)
        assert daemon.status()["pause_offer"]["refusal"]  # and no second one may be asked
        assert tray.poll() is None


def test_the_warning_that_a_pause_ends_is_urgent_and_stays_until_dismissed(
    desktop: Desktop,
) -> None:
    no_wait = BLOCK_LIST.replace("cooldown: 30s", "cooldown: 0s")
    daemon = SandboxDaemon(desktop.notifications.parent / "sandbox", no_wait)
    daemon.start()
    tray = Tray(
        daemon.folder / "control.sock",
        BlockListFile(daemon.folder / "blocklist.yaml", shipped_catalog(), frozenset()),
        Notifier(),
    )
    tray.start()
    ending = messages.notification(Event(EventName.PAUSE_ENDING), "")
    assert ending is not None

    def warned() -> NotifyCall | None:
        return next((c for c in notify_calls(desktop) if c.summary == ending[0]), None)

    try:
        wait_for(lambda: tray.shown.view.icon == "blocking", 10, "the tray seeing the block")
        tray.click(Action.PAUSE, "10s")  # no cooldown: it begins at once, ends in 10 s
        wait_for(lambda: warned() is not None, 10, "the warning that the pause ends")
        call = warned()
        assert call is not None
        assert (call.urgency, call.expire_timeout) == (2, 0)  # critical, never expires
    finally:
        tray.stop()
        daemon.kill()


def test_a_session_with_no_tray_to_dock_into_is_said_once_not_a_traceback_a_second(
    tmp_path: Path,
) -> None:
    """A bare X display (no panel, no session bus): the tray falls back to the X backend,
    which cannot dock; it says so in one line and keeps running."""
    display = ":96"
    assert not Path("/tmp/.X11-unix/X96").exists()
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "640x480x24"], stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: Path("/tmp/.X11-unix/X96").exists(), 10, "Xvfb")
        environment = {
            k: v
            for k, v in os.environ.items()
            if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
        }
        tray = subprocess.Popen(
            blocker_argv("--sandbox", str(tmp_path / "try"), "tray"),
            # A session bus nobody listens on: the desktop backends fail, the X one runs.
            env={
                **environment,
                "DISPLAY": display,
                "HOME": str(tmp_path),
                "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}",
            },
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(4)  # pystray redraws, and so fails to dock, about once a second
            assert tray.poll() is None
        finally:
            tray.terminate()
            _, errors = tray.communicate(timeout=10)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    assert "Traceback" not in errors
    assert errors.count("no system tray runs in this session") == 1
