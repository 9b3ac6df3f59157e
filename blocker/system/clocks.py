"""The machine's clocks, read for the trusted time in `core.clock`."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_UPTIME = Path("/proc/uptime")
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
_CLOCK_FILES = frozenset({str(_UPTIME), str(_BOOT_ID)})
_TIME_OFFSETS = Path("/proc/self/timens_offsets")
_SYSTEM_PRELOAD = Path("/etc/ld.so.preload")


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
        return time.monotonic()  # not Linux: the CLI refuses to run there

    def doubts(self) -> str:
        """Why this process's clocks may be faked: root can give one process a wall clock
        of its choosing (a preloaded libfaketime), a boot clock of its own (a time
        namespace), or another uptime or boot id (a file or a tmpfs mounted over them),
        and then a restart would look like a reboot whose time off blocker would credit."""
        if not sys.platform.startswith("linux"):
            return ""
        for check in (_preloaded, _offset_clocks, _clock_files_not_the_kernels):
            if reason := check():
                return reason
        return ""

    def boot_id(self) -> str:
        if _BOOT_ID.exists():
            return _BOOT_ID.read_text().strip()
        # Elsewhere the boot is told by when it happened, to the minute.
        import psutil

        return f"boot-{int(psutil.boot_time() // 60)}"


def _preloaded() -> str:
    if os.environ.get("LD_PRELOAD"):
        return "a library is preloaded into the daemon (LD_PRELOAD), which can fake its clocks"
    with contextlib.suppress(OSError):
        if _SYSTEM_PRELOAD.read_text().strip():
            return f"libraries are preloaded into every program ({_SYSTEM_PRELOAD})"
    with contextlib.suppress(OSError):  # `ld.so --preload` sets no variable
        if "faketime" in Path("/proc/self/maps").read_text():
            return "a faketime library is loaded into the daemon, which fakes its clocks"
    return ""


def _offset_clocks() -> str:
    """Whether this process's time namespace moves its monotonic or boot clock (the
    machine's own namespace moves neither)."""
    try:
        lines = _TIME_OFFSETS.read_text().splitlines()
    except OSError:  # a kernel without time namespaces
        return ""
    if any(field != "0" for line in lines for field in line.split()[1:]):
        return "the daemon runs in a time namespace whose boot clock is moved"
    return ""


def _clock_files_not_the_kernels() -> str:
    try:
        mounts = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return ""
    for clock_file in sorted(_CLOCK_FILES):
        where, kind = _mount_holding(mounts, clock_file)
        if kind not in ("", "proc"):
            return f"{clock_file} is read from a {kind} mounted on {where}, not the kernel's"
    return ""


def _mount_holding(mountinfo: str, path: str) -> tuple[str, str]:
    """The mount point that holds `path` and its file system type: the longest mount point
    above it, the last one mounted there winning; ("", "") where none is listed. A file or
    a tmpfs mounted over /proc/uptime or /proc/sys/kernel/random is not proc."""
    best, kind = "", ""
    for line in mountinfo.splitlines():
        ours, separator, theirs = line.partition(" - ")
        fields = ours.split()
        if not separator or len(fields) < 5 or not theirs.split():
            continue
        mount_point = fields[4]
        inside = path == mount_point or path.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, theirs.split()[0]
    return best, kind
