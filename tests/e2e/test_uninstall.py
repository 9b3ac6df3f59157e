"""An uninstall carried through, as real processes in a sandbox: the daemon waits out the
cooldown, lifts the block, removes the sandbox's copy of the service and its state,
says in its last line that it uninstalled, and `blocker status` without it says that
blocker is uninstalled and where the block list still is, not "blocking"."""

from __future__ import annotations

import json
import os
import pwd
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import ORIGINAL_HOSTS, SandboxDaemon, sandbox_daemon

# A period under way, and a cooldown short enough for a test.
BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - alexblog.example.com\n"
    "pause:\n  cooldown: 3s\n  max_length: 2s\n  per_day: 5\n"
)


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path / "sandbox", BLOCK_LIST) as running:
        yield running


def test_a_matured_uninstall_is_told_by_the_daemon_and_by_status_without_it(
    daemon: SandboxDaemon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUDO_USER", raising=False)  # the sandbox's copy is for whoever runs it
    folder = daemon.folder
    home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    unit = folder / "root/etc/systemd/system/blocker.service"
    entry = folder / "root" / home.relative_to("/") / ".config/autostart/blocker-tray.desktop"
    assert daemon.cli("service", "install").returncode == 0
    assert unit.exists()
    assert entry.exists()
    daemon.start()
    assert "alexblog.example.com" in daemon.blocked()

    asked = daemon.cli("service", "uninstall")
    assert asked.returncode == 0, asked.stderr
    assert "blocker uninstalls itself at" in asked.stdout
    assert re.search(r"itself at \d\d:\d\d \(in ", asked.stdout)  # a clock, not ISO
    assert daemon.process is not None
    daemon.process.wait(timeout=30)  # it ends by itself once the uninstall is done
    log = daemon.stop().strip().splitlines()

    assert log[-1] == (
        "blocker: uninstalled: the block is lifted and blocker's state is removed; "
        f"the block list stays at {folder / 'blocklist.yaml'}"
    )
    assert (folder / "hosts").read_bytes() == ORIGINAL_HOSTS
    assert not unit.exists()
    assert not entry.exists()
    assert not (folder / "state").exists()  # the extension's key and all
    assert not (folder / "blocker.xpi").exists()  # /run/blocker/blocker.xpi on a machine
    assert not (folder / "root/etc/chromium/policies").exists()

    status = daemon.cli("status")
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith("blocker is uninstalled (since ")
    assert lines[0].endswith("): nothing is blocked.")
    assert lines[1] == (
        f"Your block list is still at {folder / 'blocklist.yaml'}; "
        f"`blocker --sandbox {folder} service install` puts blocker back."
    )
    assert "blocking" not in status.stdout
    assert "Daemon: not running" not in status.stdout
    assert json.loads(daemon.cli("status", "--json").stdout)["uninstalled"]["block_list"] == (
        str(folder / "blocklist.yaml")
    )

    # A daemon started again keeps the block again: blocker is no longer uninstalled.
    daemon.start()
    assert "uninstalled" not in daemon.status()
    assert not (folder / "blocker-uninstalled.json").exists()
    daemon.stop()
