"""One layer failing does not take the others down, and a full disk does not end the
daemon: a real `blocker daemon` in a sandbox, a malformed policies.json of another
program, and the state folder on a tiny tmpfs that fills up."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, blocker_argv, require_namespaces, wait_for

BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n  - instagram: alex.example\n"
    "sites:\n  - alexblog.example.com\n"
    "pause:\n  cooldown: 3s\n  max_length: 2s\n  per_day: 5\n"
)
MALFORMED = b'{"policies": {"DisableAppUpdate": true,}}\n'  # a trailing comma


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    running = SandboxDaemon(tmp_path / "sandbox", BLOCK_LIST)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def firefox_policies(sandbox: Path) -> Path:
    return sandbox / "root/etc/firefox/policies/policies.json"


def test_a_malformed_firefox_policy_file_is_reported_and_the_other_layers_hold(
    daemon: SandboxDaemon,
) -> None:
    if shutil.which("firefox-esr") is None:
        pytest.skip("Debian's firefox-esr is needed (scripts/test installs it)")
    policies = firefox_policies(daemon.folder)
    policies.parent.mkdir(parents=True)
    policies.write_bytes(MALFORMED)

    once = subprocess.run(
        blocker_argv("--sandbox", str(daemon.folder), "run", "--once"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert once.returncode == 1
    assert "Traceback" not in once.stderr
    assert f"{policies}:1:40: not valid JSON" in once.stderr
    assert "alexblog.example.com" in daemon.blocked()  # the hosts file holds all the same
    chromium = daemon.folder / "root/etc/chromium/policies/managed/zzz-blocker.json"
    assert chromium.exists()

    daemon.start()
    status = daemon.status()
    assert status["blocking"]
    assert "Firefox" in status["failing_layers"]
    doctor = daemon.cli("doctor")
    assert "daemon: Firefox" in doctor.stdout
    assert policies.read_bytes() == MALFORMED  # another program's file is never guessed at

    # Someone fixes it: the layer is tried again and works, without a restart.
    policies.write_bytes(b'{"policies": {"DisableAppUpdate": true}}\n')
    wait_for(lambda: not daemon.status()["failing_layers"], timeout=15, what="the retry")
    assert b"WebsiteFilter" in policies.read_bytes()
    assert daemon.process is not None
    assert daemon.process.poll() is None


def test_a_full_disk_keeps_the_block_and_refuses_only_what_it_cannot_record(
    daemon: SandboxDaemon,
) -> None:
    require_namespaces()
    state = daemon.folder / "state"
    state.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(state)], check=True)
    try:
        daemon.start()
        wait_for(lambda: "alexblog.example.com" in daemon.blocked(), timeout=10, what="block")
        filler = state / "filler"
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True, check=False
        )
        asked = daemon.cli("pause")
        assert asked.returncode != 0
        assert f"{state / 'state.json'}" in asked.stderr  # the file is named
        assert "No space left on device" in asked.stderr
        assert "Traceback" not in asked.stderr
        assert daemon.status()["pause"]["state"] == "none"  # nothing was asked
        assert daemon.cli("cancel").returncode == 0  # tightening needs no disk
        assert "alexblog.example.com" in daemon.blocked()

        # A restart on the full disk still starts, and still blocks.
        daemon.kill()
        daemon.start()
        assert daemon.status()["blocking"]

        filler.unlink()
        assert daemon.cli("pause").returncode == 0  # room again: asked and recorded
        assert daemon.status()["pause"]["state"] == "cooldown"
    finally:
        if daemon.process is not None and daemon.process.poll() is None:
            daemon.kill()
        subprocess.run(["umount", "-l", str(state)], check=False)
