"""blocker says plainly where it runs: Linux only, and in a Wayland, X11 or no desktop
session what of it works there, through the real `blocker doctor` and the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.helpers import blocker_argv


def _doctor_layers(tmp_path: Path, **session: str) -> dict[str, dict[str, object]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP"}
    }
    result = subprocess.run(
        blocker_argv("--sandbox", str(tmp_path / "try"), "doctor", "--json"),
        env={**env, **session},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {layer["name"]: layer for layer in json.loads(result.stdout)["layers"]}


def test_doctor_without_a_desktop_session_says_the_tray_needs_one(tmp_path: Path) -> None:
    layers = _doctor_layers(tmp_path)
    assert layers["desktop session"]["works"] is False
    assert "blocker doctor" in str(layers["desktop session"]["detail"])  # where to look
    assert layers["tray"]["works"] is False  # no display: no icon, whatever is installed
    assert layers["window titles"]["works"] is False


def test_doctor_in_a_gnome_wayland_session_names_the_appindicator_extension(
    tmp_path: Path,
) -> None:
    layers = _doctor_layers(tmp_path, WAYLAND_DISPLAY="wayland-0", XDG_CURRENT_DESKTOP="GNOME")
    session = str(layers["desktop session"]["detail"])
    assert layers["desktop session"]["works"] is True
    assert "Wayland" in session
    assert "AppIndicator" in session
    assert layers["window titles"]["works"] is False


def test_doctor_in_an_x11_session_says_titles_are_read_from_its_display(
    tmp_path: Path,
) -> None:
    layers = _doctor_layers(tmp_path, DISPLAY=":97", XDG_CURRENT_DESKTOP="XFCE")
    assert layers["desktop session"]["works"] is True
    assert ":97" in str(layers["desktop session"]["detail"])
    assert "AppIndicator" not in str(layers["desktop session"]["detail"])
    assert layers["window titles"]["works"] is True


def test_the_command_refuses_in_one_line_on_a_system_other_than_linux(tmp_path: Path) -> None:
    # The real command, with Python told it runs on macOS: what a Mac user would meet.
    program = (
        "import sys; sys.platform = 'darwin'; "
        "from blocker.cli.main import main; raise SystemExit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "--sandbox", str(tmp_path / "try"), "status"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "blocker: blocker runs on Linux only (this is darwin)\n"
    assert not (tmp_path / "try").exists()  # it did nothing at all
