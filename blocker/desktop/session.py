"""The few desktop services the tray uses: the clipboard and opening a file, per OS."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def _clipboard_commands() -> list[list[str]]:
    platform = sys.platform  # a plain str, so every branch is type-checked on every OS
    if platform == "darwin":
        return [["pbpaste"]]
    if platform == "win32":
        return [["powershell", "-NoProfile", "-Command", "Get-Clipboard"]]
    return [
        ["wl-paste", "--no-newline"],
        ["xclip", "-o", "-selection", "clipboard"],
        ["xsel", "--clipboard", "--output"],
    ]


def read_clipboard() -> str | None:
    """The text on the clipboard, or None where it cannot be read."""
    for command in _clipboard_commands():
        if shutil.which(command[0]) is None:
            continue
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            logger.info("%s failed: %s", command[0], error)
            continue
        if result.returncode == 0:
            return result.stdout.strip()
    return None


def open_file(path: Path) -> bool:
    """Open `path` in the person's editor; False when nothing could."""
    platform = sys.platform
    try:
        if platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606  (Windows only)
            return True
        opener = "open" if platform == "darwin" else "xdg-open"
        if shutil.which(opener) is None:
            return False
        subprocess.Popen(
            [opener, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        logger.info("could not open %s: %s", path, error)
        return False
    return True
