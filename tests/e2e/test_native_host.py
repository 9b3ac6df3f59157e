"""blocker's native-messaging host as the browser runs it: the launcher the sandbox
daemon wrote, started as a program with pipes for stdin and stdout, speaking the framing
of native messaging, against the real daemon and the real CLI."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from blocker.ipc import client
from blocker.system import sockets
from tests.e2e.helpers import SandboxDaemon, sandbox_daemon, wait_for

BLOCK_LIST = (
    "period:\n  start: 2026-01-01\n  days: 3000\n"
    "profiles:\n  - https://www.instagram.com/alex.example/\n"
    "reasons:\n  - I want my evenings back\n"
)
LIVE_WITHIN = 2.0  # seconds from `blocker add` to the view in the browser's host


def framed(message: dict[str, Any] | bytes) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return len(body).to_bytes(4, sys.byteorder) + body


class HostProcess:
    """The launcher as Chromium starts it: with the extension's origin as its argument."""

    def __init__(self, launcher: Path, extension_id: str) -> None:
        self.process = subprocess.Popen(
            [str(launcher), f"chrome-extension://{extension_id}/"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=launcher.parent,
        )
        self.buffer = bytearray()

    def send(self, message: dict[str, Any] | bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(framed(message))
        self.process.stdin.flush()

    def receive(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next message, read from the pipe itself: a buffered reader would keep a
        second message where select cannot see it."""
        out = self.process.stdout
        assert out is not None
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buffer) >= 4:
                size = int.from_bytes(self.buffer[:4], sys.byteorder)
                if len(self.buffer) >= 4 + size:
                    body = bytes(self.buffer[4 : 4 + size])
                    del self.buffer[: 4 + size]
                    message: dict[str, Any] = json.loads(body)
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([out], [], [], remaining)[0]:
                pytest.fail(f"no message from the host within {timeout} s")
            chunk = os.read(out.fileno(), 65536)
            if not chunk:
                pytest.fail("the host closed its output")
            self.buffer += chunk

    def receive_kind(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(0.01, deadline - time.monotonic()))
            if message.get("kind") == kind:
                return message

    def close(self) -> int:
        """Close the pipes as the browser does when the extension lets go; the exit code."""
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
        code = self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return code


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SandboxDaemon]:
    with sandbox_daemon(tmp_path / "sandbox", BLOCK_LIST) as running:
        running.start()
        yield running


def host_files(daemon: SandboxDaemon) -> tuple[Path, str]:
    manifest = daemon.folder / "root/etc/chromium/native-messaging-hosts/blocker_daemon.json"
    wait_for(manifest.exists, timeout=15, what="the host's manifest")
    data = json.loads(manifest.read_text())
    origin = data["allowed_origins"]
    assert len(origin) == 1
    extension_id = origin[0].removeprefix("chrome-extension://").rstrip("/")
    launcher = Path(data["path"])
    assert launcher.is_relative_to(daemon.folder)  # a sandbox's files stay in the sandbox
    assert os.access(launcher, os.X_OK)
    assert manifest.stat().st_mode & 0o777 == 0o644
    return launcher, extension_id


def test_the_host_hands_the_extension_the_daemons_view_and_each_add_within_two_seconds(
    daemon: SandboxDaemon,
) -> None:
    host = HostProcess(*host_files(daemon))
    try:
        view = host.receive_kind("view")["view"]
        assert {t["label"] for t in view["targets"]} == {"instagram: alex.example"}
        assert view["reasons"] == ["I want my evenings back"]
        assert view["day"] >= 1
        assert view["last_day"]
        started = time.monotonic()
        added = daemon.cli("add", "tiktok: jordan.lee")
        assert added.returncode == 0, added.stderr
        while True:
            view = host.receive_kind("view", LIVE_WITHIN)["view"]
            if any(t["label"].startswith("tiktok") for t in view["targets"]):
                break
        took = time.monotonic() - started
        assert took < LIVE_WITHIN
        print(f"from `blocker add` to the host's view: {took:.3f} s")
    finally:
        assert host.close() == 0


def test_a_stop_the_extension_reports_is_an_urge_of_its_platform_and_a_pause_waits(
    daemon: SandboxDaemon,
) -> None:
    host = HostProcess(*host_files(daemon))
    try:
        host.receive_kind("view")
        host.send({"kind": "urge", "label": "instagram: alex.example"})
        host.send({"kind": "urge", "label": "a label the list does not name"})
        host.send({"kind": "pause", "asked": 1})
        answer = host.receive_kind("pause")
        assert answer["asked"] == 1
        assert answer["answer"]["ok"], answer
        request = answer["answer"]["request"]
    finally:
        assert host.close() == 0
    status = daemon.status()
    assert [r["id"] for r in status["truth"]["waiting"]] == [request]  # the cooldown applies
    log = client.request(daemon.folder / sockets.SOCKET_NAME, {"op": "log"})["entries"]
    urges = [e for e in log if e["kind"] == "urge"]
    assert len(urges) == 1, urges  # the made-up label is not counted
    assert urges[-1]["detail"]["platform"] == "instagram"
    assert "alex.example" not in json.dumps(urges[-1])  # the platform, never whose page


def test_a_message_that_is_not_the_extensions_ends_the_host_with_one_line(
    daemon: SandboxDaemon,
) -> None:
    launcher, extension_id = host_files(daemon)
    for garbage in (b"\xff" * 4 + b"x", framed(b"not json"), framed(b"[1, 2]")):
        host = HostProcess(launcher, extension_id)
        _, stderr = host.process.communicate(garbage, timeout=10)
        assert host.close() == 1
        error = stderr.decode()
        assert error.count("\n") == 1, error
        assert error.startswith("blocker-native-host: "), error
    assert daemon.process is not None
    assert daemon.process.poll() is None


def test_the_hosts_files_deleted_or_edited_are_put_back_and_doctor_says_the_extension_works(
    daemon: SandboxDaemon,
) -> None:
    launcher, _ = host_files(daemon)
    manifest = daemon.folder / "root/etc/chromium/native-messaging-hosts/blocker_daemon.json"
    written = manifest.read_bytes(), launcher.read_bytes()
    manifest.unlink()
    launcher.write_text("#!/bin/sh\nexit 0\n")
    wait_for(
        lambda: manifest.exists() and (manifest.read_bytes(), launcher.read_bytes()) == written,
        timeout=5,
        what="the host's files put back",
    )
    doctor = daemon.cli("doctor", "--json")
    layers = {layer["name"]: layer for layer in json.loads(doctor.stdout)["layers"]}
    extension = layers["blocker's extension (Chromium family)"]
    assert extension["works"], extension
    assert "127.0.0.1" in extension["detail"]
