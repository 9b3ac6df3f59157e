"""The daemon's elapsed clock against root's tricks with the real kernel: a file bound
over /proc/uptime in a private mount namespace (what libfaketime cannot fake, root can
with a mount) moves it no more than libfaketime does (tests/e2e/test_daemon.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

READ_THE_CLOCK = "from blocker.system.clocks import SystemClocks; print(SystemClocks().elapsed())"


def test_an_uptime_file_bound_two_hours_ahead_does_not_move_the_elapsed_clock(
    tmp_path: Path,
) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a private mount namespace needs root and unshare")
    booted = time.clock_gettime(time.CLOCK_BOOTTIME)
    faked = tmp_path / "uptime"
    faked.write_text(f"{booted + 7200:.2f} 0.00\n")
    script = f'mount --bind {faked} /proc/uptime && head -c 40 /proc/uptime && echo && exec "$@"'
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
         sys.executable, "-c", READ_THE_CLOCK],
        capture_output=True, text=True, timeout=30, check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )  # fmt: skip
    seen_file, elapsed = result.stdout.split()[0], float(result.stdout.split()[-1])
    assert float(seen_file) > booted + 7000  # the namespace really saw the faked file
    assert booted <= elapsed < booted + 60  # the clock did not
    assert Path("/proc/uptime").read_text().split()[0] != seen_file  # ours is untouched
