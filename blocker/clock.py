"""Time you cannot cheat: a clock that moves with the machine's elapsed time, not the wall.

While the daemon runs, its notion of now advances only by the elapsed clock (one that
counts suspend but ignores changes of the system time), from a checkpoint saved to disk.
Moving the system clock by a minute or by 40 days therefore moves nothing. Across a
restart of the daemon within one boot, the elapsed clock carries on and the saved
checkpoint is exact. Across a reboot the time the machine was off is only known from the
wall clock: it is credited, but the trusted time never goes backwards.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Checkpoint:
    boot_id: str
    elapsed: float  # seconds on the elapsed clock of that boot
    trusted: datetime  # the trusted instant at that moment (UTC)

    def now(self, elapsed: float) -> datetime:
        """The trusted instant when the elapsed clock reads `elapsed` (same boot)."""
        return self.trusted + timedelta(seconds=max(0.0, elapsed - self.elapsed))

    def advanced(self, elapsed: float) -> Checkpoint:
        return Checkpoint(self.boot_id, elapsed, self.now(elapsed))

    def to_json(self) -> dict[str, object]:
        return {
            "boot_id": self.boot_id,
            "elapsed": self.elapsed,
            "trusted": self.trusted.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Checkpoint:
        trusted = datetime.fromisoformat(str(data["trusted"]))
        if trusted.tzinfo is None:
            raise ValueError("the trusted time has no zone")
        elapsed = data["elapsed"]
        if not isinstance(elapsed, int | float):
            raise TypeError("the elapsed time is not a number")
        return cls(str(data["boot_id"]), float(elapsed), trusted.astimezone(UTC))


def resume(saved: Checkpoint | None, boot_id: str, elapsed: float, wall: datetime) -> Checkpoint:
    """The checkpoint to run from, given the last saved one and the clocks now."""
    if saved is None:
        return Checkpoint(boot_id, elapsed, wall)
    if saved.boot_id == boot_id and elapsed >= saved.elapsed:
        return saved.advanced(elapsed)
    return Checkpoint(boot_id, elapsed, max(saved.trusted, wall))


_UPTIME = Path("/proc/uptime")


@dataclass(frozen=True)
class SystemClocks:
    """The machine's clocks. Each call is a cheap system call; safe from any thread."""

    def wall(self) -> datetime:
        return datetime.now(UTC)

    def elapsed(self) -> float:
        platform = sys.platform  # a plain str, so every branch is type-checked on every OS
        if platform.startswith("linux"):
            # The kernel's boot clock (it counts suspend, unlike monotonic), read from
            # /proc/uptime rather than clock_gettime: a preloaded libfaketime fakes the
            # call, not the file, so a daemon restarted under it cannot skip a cooldown.
            try:
                return float(_UPTIME.read_bytes().split()[0])
            except (OSError, ValueError, IndexError):
                return time.clock_gettime(time.CLOCK_BOOTTIME)
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
