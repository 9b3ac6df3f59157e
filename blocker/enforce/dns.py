"""Flush the system's DNS caches after the hosts file changed, so a block (or its end)
takes effect now rather than when a cached answer expires. Each cache is flushed only
where it exists; a machine without one is not an error."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def flush_commands(
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
    exists: Callable[[Path], bool] = Path.exists,
) -> list[list[str]]:
    """The commands that flush the caches present here."""
    if platform.startswith("linux"):
        commands = []
        if which("resolvectl") and exists(Path("/run/systemd/resolve")):
            commands.append(["resolvectl", "flush-caches"])  # systemd-resolved
        if which("nscd") and exists(Path("/var/run/nscd/socket")):
            commands.append(["nscd", "--invalidate=hosts"])
        return commands
    return []


def flush() -> list[str]:
    """Run the flushes; blocks for at most a few seconds; returns what ran."""
    ran = []
    for command in flush_commands():
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            logger.warning("could not flush the DNS cache with %s: %s", command[0], error)
            continue
        if result.returncode != 0:
            logger.warning("%s failed: %s", " ".join(command), result.stderr.strip())
        else:
            ran.append(" ".join(command))
    return ran
