"""A real desktop session for the tray's end-to-end tests, headless: Xvfb, a D-Bus session
bus, Debian's dunst as the notification daemon (dbus-monitor records what is asked of
it), trayer as the tray host, and what the tests do in it: start the tray, open its menu,
own the X clipboard, read the Notify calls."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from blocker.desktop.icons import COLOURS
from tests.e2e.helpers import blocker_argv, wait_for, x_server


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


def notification_service_up(bus: str) -> bool:
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


@contextlib.contextmanager
def session(folder: Path) -> Iterator[Desktop]:
    """Xvfb, a session bus, dunst on it and dbus-monitor writing its Notify calls to
    folder/notify.log; skips the test where a program is missing."""
    for program in ("Xvfb", "dbus-daemon", "dunst", "notify-send", "trayer", "xdotool"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is needed (scripts/test installs it)")
    started: list[subprocess.Popen[str]] = []
    opened: list[IO[str]] = []
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(x_server())
        stack.callback(stop_all, started, opened)
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(bus)
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        desktop = Desktop(display, address, folder / "notify.log")
        started.append(
            subprocess.Popen(
                ["dunst"],
                env=desktop.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        )
        wait_for(lambda: notification_service_up(address), 10, "dunst on the bus")
        log = desktop.notifications.open("w")
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
        yield desktop


def stop_all(started: list[subprocess.Popen[str]], opened: list[IO[str]]) -> None:
    for process in reversed(started):
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    for log_file in opened:
        log_file.close()


def shows(display: str, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> bool:
    from PIL import ImageGrab

    data = ImageGrab.grab(xdisplay=display).convert("RGB").crop(box).tobytes()
    return any(
        abs(data[i] - colour[0]) + abs(data[i + 1] - colour[1]) + abs(data[i + 2] - colour[2]) < 30
        for i in range(0, len(data), 3)
    )


def start_tray(
    desktop: Desktop, sandbox: Path, path: str | None = None
) -> tuple[subprocess.Popen[str], ...]:
    """trayer as the tray host, then `blocker tray` in it (with `path` as its PATH)."""
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
        env={**desktop.env, "PATH": path} if path is not None else desktop.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return host, tray


def stop(*processes: subprocess.Popen[str]) -> None:
    for process in processes:
        process.terminate()
        process.communicate(timeout=10)


ICON_BOX = (0, 0, 200, 32)  # where the tray host shows the icon
MENU_BOX = (0, 32, 320, 240)  # GTK's menu opens under the icon, light grey


def wait_for_icon(desktop: Desktop, state: str, seconds: float) -> None:
    colour = COLOURS[state][0]
    wait_for(lambda: shows(desktop.display, colour, ICON_BOX), seconds, f"the {state} icon")


def open_menu(desktop: Desktop) -> None:
    subprocess.run(
        ["xdotool", "mousemove", "12", "16", "click", "1"],
        env=desktop.env,
        check=True,
        timeout=10,
    )
    wait_for(lambda: shows(desktop.display, (255, 255, 255), MENU_BOX), 10, "the menu")


@dataclass(frozen=True)
class NotifyCall:
    """One Notify call as dbus-monitor printed it."""

    summary: str
    body: str
    urgency: int | None  # the "urgency" hint: 0 low, 1 normal, 2 critical
    expire_timeout: int  # milliseconds; 0 never expires, -1 the server's choice


_STRING = re.compile(r'^\s*string "(.*)"$', re.MULTILINE)
_URGENCY = re.compile(r'string "urgency"\s*variant\s+byte (\d+)')
_EXPIRE = re.compile(r"^\s*int32 (-?\d+)\s*$", re.MULTILINE)


def notify_calls(desktop: Desktop) -> list[NotifyCall]:
    """Every Notify call dbus-monitor saw so far, oldest first."""
    calls = []
    for block in desktop.notifications.read_text().split("method call")[1:]:
        strings, expire = _STRING.findall(block), _EXPIRE.findall(block)
        if len(strings) < 4 or not expire:
            continue  # still being written
        urgency = _URGENCY.search(block)
        calls.append(
            NotifyCall(
                strings[2], strings[3], int(urgency.group(1)) if urgency else None, int(expire[-1])
            )
        )
    return calls


# A GTK program that owns the X clipboard (CLIPBOARD) with the text it is given, as a
# browser does after "Copy link", until it is ended.
_CLIPBOARD_OWNER = (
    "import sys, gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gdk, Gtk; "
    "Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD).set_text(sys.argv[1], -1); "
    "print('owned', flush=True); Gtk.main()"
)


@contextlib.contextmanager
def clipboard_holding(desktop: Desktop, text: str) -> Iterator[None]:
    owner = subprocess.Popen(
        [sys.executable, "-c", _CLIPBOARD_OWNER, text],
        env=desktop.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "owned"
        yield
    finally:
        owner.terminate()
        owner.communicate(timeout=10)


def only_programs(folder: Path, *names: str) -> str:
    """A PATH of one folder holding only `names` (linked to the real ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        found = shutil.which(name)
        assert found is not None, f"{name} is needed"
        (folder / name).symlink_to(found)
    return str(folder)
