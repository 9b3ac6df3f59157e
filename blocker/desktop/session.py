"""Opening a file in the person's editor, per OS (the clipboard is clipboard.py's)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


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
