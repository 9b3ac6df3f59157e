"""A real `blocker daemon` process in a sandbox folder, and the real CLI to drive it."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from blocker.hoststext import blocked_names
from tests.e2e.namespace import blocker_argv

ORIGINAL_HOSTS = b"127.0.0.1 localhost\n"


def wait_for(condition: Callable[[], bool], timeout: float, what: str = "condition") -> float:
    """Seconds until `condition()` held; fails the test after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


class SandboxDaemon:
    def __init__(self, folder: Path, block_list: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "blocklist.yaml").write_text(block_list)
        (folder / "hosts").write_bytes(ORIGINAL_HOSTS)
        self.process: subprocess.Popen[str] | None = None

    def start(self, *extra: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            blocker_argv("--sandbox", str(self.folder), "daemon", *extra),
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        wait_for(
            lambda: self.cli("status", "--json").returncode == 0 and self.status()["daemon"],
            timeout=15,
            what="the daemon answering",
        )

    def cli(self, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
        argv = blocker_argv("--sandbox", str(self.folder), *args)
        if user is not None:
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)

    def status(self) -> dict[str, Any]:
        result = self.cli("status", "--json")
        assert result.returncode == 0, result.stderr
        status: dict[str, Any] = json.loads(result.stdout)
        return status

    def blocked(self) -> frozenset[str]:
        return blocked_names((self.folder / "hosts").read_text())

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.communicate()

    def stop(self) -> str:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        _, stderr = self.process.communicate(timeout=15)
        return stderr
