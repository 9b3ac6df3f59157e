"""A person who forgets sudo is told what to do, in one line, and nothing changes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from tests.e2e.helpers import blocker_argv

NOBODY = "65534"


def test_run_as_an_ordinary_user_asks_for_sudo_or_sandbox(shared_folder: Path) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("switching to another user needs root and setpriv")
    hosts = shared_folder / "hosts"
    hosts.write_bytes(b"127.0.0.1 localhost\n")
    hosts.chmod(0o644)
    config = shared_folder / "blocklist.yaml"
    config.write_text("period:\n  start: 2026-01-01\n  days: 3000\nsites:\n  - a.example.com\n")
    config.chmod(0o644)
    result = subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            *blocker_argv(
                "--config",
                str(config),
                "--hosts-file",
                str(hosts),
                "--state-dir",
                str(shared_folder / "state"),
                "run",
                "--once",
            ),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HOME": str(shared_folder)},
    )
    assert result.returncode == ExitStatus.NEEDS_ROOT, result.stderr
    assert result.stderr.count("\n") == 1
    assert "sudo blocker run" in result.stderr
    assert "--sandbox" in result.stderr
    assert hosts.read_bytes() == b"127.0.0.1 localhost\n"
