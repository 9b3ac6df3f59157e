"""A real `blocker daemon` in a sandbox folder, started and asked through the real CLI."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.measure import clean_environment, wait_until
from blocker.hosts import hoststext
from blocker.ipc import client
from blocker.system import sockets

BLOCKER = Path(sys.executable).with_name("blocker")  # the command the person types
# The hosts file of a desktop computer.
DESKTOP_HOSTS = (
    b"127.0.0.1\tlocalhost\n127.0.1.1\tlaptop\n\n"
    b"# The following lines are desirable for IPv6 capable hosts\n"
    b"::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"
)
PROFILES = (
    "profiles:\n  - https://www.instagram.com/alex.example/\n  - tiktok: alex.example\n"
    "  - x: alex_example\n  - https://www.facebook.com/messages/t/100000000000001\n"
    "sites:\n  - alexblog.example.com\n"
)


def local_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def block_list(start: datetime, until: datetime) -> str:
    return f"period:\n  start: {local_text(start)}\n  until: {local_text(until)}\n{PROFILES}"


def block_on_now() -> str:
    """A period that began yesterday and lasts a month."""
    today = datetime.now().replace(microsecond=0)
    return block_list(today - timedelta(days=1), today + timedelta(days=30))


class SandboxDaemon:
    """`blocker --sandbox FOLDER daemon`, as a separate process with no display."""

    def __init__(self, folder: Path, block_list_text: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.hosts = folder / "hosts"
        self.hosts.write_bytes(DESKTOP_HOSTS)
        self.write_block_list(block_list_text)
        self.process: subprocess.Popen[bytes] | None = None

    def write_block_list(self, text: str) -> None:
        (self.folder / "blocklist.yaml").write_text(text, encoding="utf-8")

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the daemon was not started")
        return self.process.pid

    def cli(self, *args: str) -> list[str]:
        return [str(BLOCKER), "--sandbox", str(self.folder), *args]

    def start(self) -> None:
        with (self.folder / "daemon.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.cli("daemon"), env=clean_environment(), stdout=log, stderr=log
            )
        wait_until(self._answers, timeout=30, what="the daemon answering", pause=0.05)

    def _answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"the daemon exited; see {self.folder / 'daemon.log'}")
        try:
            client.request(str(self.folder / sockets.SOCKET_NAME), {"op": "ping"}, timeout=1)
        except client.DaemonUnreachable:
            return False
        return True

    def blocking(self) -> bool:
        # What the daemon's own status reads: the names our section sinks.
        return bool(hoststext.blocked_names(hoststext.decode(self.hosts.read_bytes())))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def wait_for_the_block(daemon: SandboxDaemon, present: bool, timeout: float) -> float:
    """The wall-clock time (time.time()) at which the block was first seen so."""
    wait_until(lambda: daemon.blocking() == present, timeout, "the block to change")
    return time.time()
