"""The machine's clocks, read for the trusted time in `core.clock`."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_UPTIME = Path("/proc/uptime")


@dataclass(frozen=True)
class SystemClocks:
    """The machine's clocks. Each call is a cheap system call; safe from any thread."""

    def wall(self) -> datetime:
        return datetime.now(UTC)

    def elapsed(self) -> float:
        platform = sys.platform  # a plain str, so every branch is type-checked on every OS
        if platform.startswith("linux"):
            # The kernel's boot clock (it counts suspend, unlike monotonic), read both ways,
            # and the earlier one believed: a preloaded libfaketime fakes the call, not the
            # file, and a file bound over /proc/uptime fakes the file, not the call, so a
            # daemon restarted under either cannot skip a cooldown.
            call = time.clock_gettime(time.CLOCK_BOOTTIME)
            try:
                return min(call, float(_UPTIME.read_bytes().split()[0]))
            except (OSError, ValueError, IndexError):
                return call
        if platform == "darwin":
            return time.clock_gettime(time.CLOCK_MONOTONIC)  # continuous: counts sleep
        return time.monotonic()  # Windows: GetTickCount64, which counts sleep

    def boot_id(self) -> str:
        linux = Path("/proc/sys/kernel/random/boot_id")
        if linux.exists():
            return linux.read_text().strip()
        # Elsewhere the boot is told by when it happened, to the minute.
        import psutil

        return f"boot-{int(psutil.boot_time() // 60)}"
