"""The tray in a real desktop session, headless: Xvfb, a D-Bus session bus, Debian's
dunst as the notification daemon and trayer as the tray host, against a sandbox daemon."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.desktop.icons import COLOURS
from blocker.desktop.notify import Notifier
from blocker.desktop.tray import Tray
from blocker.desktop.trayview import Action
from tests.e2e.helpers import SandboxDaemon, blocker_argv, wait_for, x_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REASON = "I want my evenings back."
BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    f"reasons:\n  - {REASON}\nsites:\n  - alexblog.example.com\n"
    "pause:\n  cooldown: 30s\n  max_length: 10s\n"
)


@dataclass
class Desktop:
    display: str
    bus: str
    notifications: Path  # what dbus-monitor saw of Notify calls

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": self.bus,
            # the tray draws its notification icon into the cache: keep it in the test's
            "XDG_CACHE_HOME": str(self.notifications.parent / "cache"),
        }


def _notification_service_up(bus: str) -> bool:
    result = subprocess.run(
        [
            "dbus-send",
            f"--bus={bus}",
            "--dest=org.freedesktop.DBus",
            "--type=method_call",
            "--print-reply",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.Notifications",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return "boolean true" in result.stdout


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    for program in ("Xvfb", "dbus-daemon", "dunst", "notify-send", "trayer", "xdotool"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is needed (scripts/test installs it)")
    started: list[subprocess.Popen[str]] = []
    opened: list[IO[str]] = []
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(x_server())
        stack.callback(_stop_all, started, opened)
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(bus)
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        session = Desktop(display, address, tmp_path / "notify.log")
        started.append(
            subprocess.Popen(
                ["dunst"],
                env=session.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        )
        wait_for(lambda: _notification_service_up(address), 10, "dunst on the bus")
        log = session.notifications.open("w")
        opened.append(log)
        started.append(
            subprocess.Popen(
                [
                    "dbus-monitor",
                    "--address",
                    address,
                    "interface='org.freedesktop.Notifications',member='Notify'",
                ],
                stdout=log,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        )
        time.sleep(0.5)
        monkeypatch.setenv("DISPLAY", session.display)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield session


def _stop_all(started: list[subprocess.Popen[str]], opened: list[IO[str]]) -> None:
    for process in reversed(started):
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    for log_file in opened:
        log_file.close()


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
        pause = next(item for item in tray.menu_items() if item.action == Action.PAUSE)
        assert pause.enabled
        tray.click(Action.PAUSE)
        wait_for(
            lambda: "Your pause is waiting" in desktop.notifications.read_text(),
            10,
            "a Notify call on the bus",
        )
        seen = desktop.notifications.read_text()
        assert 'string "blocker"' in seen  # the app name
        assert REASON in seen  # the person's own reason comes first
        assert "This week you asked for 1 pause and cancelled 0." in seen
        first = tray.menu_items()[0]
        assert (first.label, first.default) == ("Cancel the pause", True)
        assert any(item.label.startswith("Pause starts in 0:") for item in tray.menu_items())

        daemon.kill()
        assert wait_for(lambda: tray.shown.view.icon == "unreachable", 2.5, "unreachable") < 2
        daemon.start()
        wait_for(lambda: tray.shown.view.icon == "cooldown", 10, "the tray recovering")
    finally:
        tray.stop()
        daemon.kill()


def _shows(display: str, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> bool:
    from PIL import ImageGrab

    data = ImageGrab.grab(xdisplay=display).convert("RGB").crop(box).tobytes()
    return any(
        abs(data[i] - colour[0]) + abs(data[i + 1] - colour[1]) + abs(data[i + 2] - colour[2]) < 30
        for i in range(0, len(data), 3)
    )


def _start_tray(desktop: Desktop, sandbox: Path) -> tuple[subprocess.Popen[str], ...]:
    host = subprocess.Popen(
        [
            "trayer",
            "--edge",
            "top",
            "--align",
            "left",
            "--height",
            "32",
            "--widthtype",
            "pixel",
            "--width",
            "200",
        ],
        env=desktop.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    # Start the tray once the host owns the system-tray selection, as on a real desktop.
    probe = (
        "import sys; from Xlib import display; d = display.Display(); "
        "owner = d.get_selection_owner(d.intern_atom('_NET_SYSTEM_TRAY_S0')); "
        "sys.exit(0 if owner else 1)"
    )
    wait_for(
        lambda: (
            subprocess.run(
                [sys.executable, "-c", probe],
                env=desktop.env,
                capture_output=True,
                timeout=10,
                check=False,
            ).returncode
            == 0
        ),
        10,
        "the tray host",
    )
    tray = subprocess.Popen(
        blocker_argv("--sandbox", str(sandbox), "tray"),
        env=desktop.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return host, tray


def _stop(*processes: subprocess.Popen[str]) -> None:
    for process in processes:
        process.terminate()
        process.communicate(timeout=10)


ICON_BOX = (0, 0, 200, 32)  # where the tray host shows the icon
MENU_BOX = (0, 32, 320, 240)  # GTK's menu opens under the icon, light grey


def _wait_for_icon(desktop: Desktop, state: str, seconds: float) -> None:
    colour = COLOURS[state][0]
    wait_for(lambda: _shows(desktop.display, colour, ICON_BOX), seconds, f"the {state} icon")


def _open_menu(desktop: Desktop) -> None:
    subprocess.run(
        ["xdotool", "mousemove", "12", "16", "click", "1"],
        env=desktop.env,
        check=True,
        timeout=10,
    )
    wait_for(lambda: _shows(desktop.display, (255, 255, 255), MENU_BOX), 10, "the menu")


def test_the_tray_icon_shows_in_a_real_tray_host_and_opens_its_menu(desktop: Desktop) -> None:
    from PIL import ImageGrab

    daemon = SandboxDaemon(desktop.notifications.parent / "sandbox", BLOCK_LIST)
    daemon.start()
    host, tray = _start_tray(desktop, daemon.folder)
    try:
        _wait_for_icon(desktop, "blocking", 20)
        assert daemon.cli("pause").returncode == 0
        _wait_for_icon(desktop, "cooldown", 10)
        _open_menu(desktop)
        ARTIFACTS.mkdir(exist_ok=True)
        ImageGrab.grab(xdisplay=desktop.display).save(ARTIFACTS / "tray-menu.png")
        assert tray.poll() is None
    finally:
        _stop(tray, host)
        daemon.kill()


def test_quit_in_the_real_menu_says_the_block_stays_and_the_tray_exits_cleanly(
    desktop: Desktop,
) -> None:
    daemon = SandboxDaemon(desktop.notifications.parent / "sandbox", BLOCK_LIST)
    daemon.start()
    host, tray = _start_tray(desktop, daemon.folder)
    try:
        _wait_for_icon(desktop, "blocking", 20)
        _open_menu(desktop)
        # Up from the top of an open menu selects its last item: "Quit tray".
        subprocess.run(["xdotool", "key", "Up", "Return"], env=desktop.env, check=True, timeout=10)
        _, errors = tray.communicate(timeout=15)
        assert tray.returncode == 0, errors
        assert "The tray is closed" in desktop.notifications.read_text()
        assert "Traceback" not in errors
        assert daemon.status()["blocking"]  # quitting the tray stops nothing
    finally:
        _stop(tray, host)
        daemon.kill()


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
