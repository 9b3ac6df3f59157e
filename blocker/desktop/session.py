"""Opening a file in the person's editor (the clipboard is clipboard.py's)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)


def open_file(path: Path) -> bool:
    """Open `path` with the desktop's opener (xdg-open); False when nothing could."""
    if shutil.which("xdg-open") is None:
        return False
    try:
        subprocess.Popen(
            ["xdg-open", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        logger.info("could not open %s: %s", path, error)
        return False
    return True
