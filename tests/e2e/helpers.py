"""Helpers for end-to-end tests: commands against a private /etc/hosts, and a real
`blocker daemon` process in a sandbox folder driven through the real CLI.

A private /etc/hosts is a temp file bind-mounted over it inside a mount namespace of the
command's own (`unshare --mount`), so the real file is never touched and the real glibc
resolver (`getent`) reads ours."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from blocker.hosts.hoststext import blocked_names


def require_namespaces() -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("mount namespaces need root and unshare (scripts/test runs as root)")


def with_bind_mounts(
    mounts: Sequence[tuple[Path, str]], *command: str, private_network: bool = False
) -> list[str]:
    """The argv that runs `command` in a mount namespace of its own where each source
    (a file or folder of the test's) is seen at its target path instead of the real one;
    with `private_network`, also in a network namespace with only its own loopback."""
    steps = [f'mount --bind "${n}" {target}' for n, (_, target) in enumerate(mounts, start=1)]
    if private_network:
        steps.insert(0, "ip link set lo up")
    script = " && ".join([*steps, f"shift {len(mounts)}", 'exec "$@"'])
    sources = [str(source) for source, _ in mounts]
    namespaces = ["--net", "--mount"] if private_network else ["--mount"]
    return [
        "unshare",
        *namespaces,
        "--propagation",
        "private",
        "sh",
        "-c",
        script,
        "sh",
        *sources,
        *command,
    ]


def with_private_hosts(hosts: Path, *command: str) -> list[str]:
    """The argv that runs `command` with `hosts` seen as /etc/hosts."""
    return with_bind_mounts([(hosts, "/etc/hosts")], *command)


@contextlib.contextmanager
def local_server(
    handler: type[http.server.BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None
) -> Iterator[int]:
    """An HTTP(S) server on a free loopback port, in a thread; yields the port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


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

    def start(
        self,
        *extra: str,
        env: dict[str, str] | None = None,
        mounts: Sequence[tuple[Path, str]] = (),
        wrapper: tuple[str, ...] = (),
    ) -> None:
        """Start the daemon, with each of `mounts` seen at its target path, and through
        `wrapper` (another program, e.g. unshare for a container), if given."""
        argv = blocker_argv("--sandbox", str(self.folder), "daemon", *extra)
        self.process = subprocess.Popen(
            [*wrapper, *(with_bind_mounts(mounts, *argv) if mounts else argv)],
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


@contextlib.contextmanager
def sandbox_daemon(folder: Path, block_list: str) -> Iterator[SandboxDaemon]:
    """A SandboxDaemon for a fixture, killed afterwards if the test left it running."""
    running = SandboxDaemon(folder, block_list)
    try:
        yield running
    finally:
        if running.process is not None and running.process.poll() is None:
            running.kill()


@contextlib.contextmanager
def x_server() -> Iterator[str]:
    """A fresh Xvfb on a display number nobody uses; yields the display name once it
    accepts connections."""
    number = next(
        n
        for n in range(50, 100)
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()
    )
    name = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def accepts() -> bool:
        # Asked in a child process: python-xlib leaves its sockets open when it fails.
        probe = f"from Xlib import display; display.Display({name!r}).close()"
        return (
            subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, timeout=10, check=False
            ).returncode
            == 0
        )

    try:
        wait_for(accepts, timeout=15, what="Xvfb accepting connections")
        yield name
    finally:
        server.terminate()
        server.wait(10)
