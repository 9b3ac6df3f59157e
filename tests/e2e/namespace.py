"""Run commands against a private /etc/hosts: a temp file bind-mounted over it inside a
mount namespace of their own (`unshare --mount`), so the real file is never touched and
the real glibc resolver (`getent`) reads ours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_BIND_THEN_EXEC = 'mount --bind "$0" /etc/hosts && exec "$@"'


def require_namespaces() -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("mount namespaces need root and unshare (scripts/test runs as root)")


def with_private_hosts(hosts: Path, *command: str) -> list[str]:
    """The argv that runs `command` with `hosts` seen as /etc/hosts."""
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        _BIND_THEN_EXEC,
        str(hosts),
        *command,
    ]


def run_with_private_hosts(hosts: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        with_private_hosts(hosts, *command), capture_output=True, text=True, timeout=60, check=False
    )


def blocker_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "blocker", *args]


def resolve(hosts: Path, name: str) -> set[str]:
    """The addresses glibc's getaddrinfo gives for `name` (empty: not found)."""
    result = run_with_private_hosts(hosts, "getent", "ahosts", name)
    return {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
