"""The daemon's elapsed clock against root's tricks with the real kernel: a file bound
over /proc/uptime in a private mount namespace (what libfaketime cannot fake, root can
with a mount) moves it no more than libfaketime does (tests/e2e/test_daemon.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon

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


def _libfaketime() -> str:
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketimeMT.so.1"))
    if not found:
        pytest.skip("libfaketime is not installed (scripts/test installs Debian's faketime)")
    return str(found[0])


OTHER_BOOT = "00000000-0000-4000-8000-000000000000"
IN_A_MOUNT_NAMESPACE = ("unshare", "-m", "--propagation", "private", "sh", "-c")


@pytest.mark.parametrize(
    "fake_reboot",
    [
        ("unshare", "--time", "--boottime", "{back}"),
        (*IN_A_MOUNT_NAMESPACE, "mount --bind {boot_id} /proc/sys/kernel/random/boot_id"),
        (
            *IN_A_MOUNT_NAMESPACE,
            "mount -t tmpfs none /proc/sys/kernel/random"
            f" && echo {OTHER_BOOT} > /proc/sys/kernel/random/boot_id",
        ),
    ],
    ids=[
        "a boot clock set back in a time namespace",
        "another boot id mounted over the real",
        "a tmpfs with another boot id mounted over its folder",
    ],
)
def test_a_restart_that_fakes_a_reboot_and_the_wall_clock_ends_no_block_and_no_cooldown(
    tmp_path: Path, fake_reboot: tuple[str, ...]
) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("namespaces need root and unshare")
    tomorrow = datetime.now() + timedelta(days=1)
    daemon = SandboxDaemon(
        tmp_path / "sandbox",
        "period:\n  start: 2026-01-01\n"
        f"  until: {tomorrow:%Y-%m-%d %H:%M}\n"
        "sites:\n  - alexblog.example.com\npause:\n  cooldown: 1h\n",
    )
    daemon.start()
    try:
        assert daemon.cli("stop").returncode == 0
        (waiting,) = daemon.status()["pause"]["pending"]
        daemon.kill()
        # Back by an hour, or by half the time since boot on a machine up for less (the
        # kernel refuses a boot clock before zero).
        back = min(3600, int(time.clock_gettime(time.CLOCK_BOOTTIME)) // 2)
        wrapper: tuple[str, ...] = tuple(p.replace("{back}", str(-back)) for p in fake_reboot)
        if fake_reboot[: len(IN_A_MOUNT_NAMESPACE)] == IN_A_MOUNT_NAMESPACE:
            other_boot = tmp_path / "boot_id"
            other_boot.write_text(f"{OTHER_BOOT}\n")
            setup = fake_reboot[-1].format(boot_id=other_boot)
            wrapper = (*IN_A_MOUNT_NAMESPACE, f'{setup} && exec "$@"', "sh")
        # The wall clock a year on, as a firmware clock set forward after a reboot says.
        daemon.start(env={"LD_PRELOAD": _libfaketime(), "FAKETIME": "+365d"}, wrapper=wrapper)
        status = daemon.status()
        assert datetime.fromisoformat(status["wall_clock"]).year > datetime.now().year
        assert status["blocking"] is True
        assert "alexblog.example.com" in daemon.blocked()
        (still,) = status["pause"]["pending"]
        assert still["id"] == waiting["id"]
        assert still["matures_at"] >= waiting["matures_at"]
        trusted = datetime.fromisoformat(status["now"]).timestamp()
        assert abs(trusted - time.time()) < 60, "blocker's time followed the faked clocks"
    finally:
        daemon.kill()
