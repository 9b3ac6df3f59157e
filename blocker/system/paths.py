"""Every path blocker touches, on one object, so tests and --sandbox can point it elsewhere."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from blocker.system import sockets
from blocker.system.atomic import write_atomically
from blocker.system.resources import data_file

if TYPE_CHECKING:
    from collections.abc import Callable


# blocker runs on Linux only (README, "Where it runs"): these are its places there.
def _system_hosts() -> Path:
    return Path("/etc/hosts")


def _system_config() -> Path:
    return Path("/etc/blocker/blocklist.yaml")


def _system_state() -> Path:
    return Path("/var/lib/blocker")


def _system_socket() -> Path:
    return Path(sockets.SYSTEM_SOCKET)


@dataclass(frozen=True)
class Paths:
    config: Path
    hosts: Path
    state_dir: Path
    socket: Path
    root: Path = Path("/")  # where browser policy folders are; a sandbox has its own
    # The --sandbox folder these paths were made for, if any: a service installed from a
    # sandbox runs blocker with the same --sandbox, and its files stay under `root`.
    sandbox_dir: Path | None = None

    @property
    def hosts_backup(self) -> Path:
        """The hosts file as it was before blocker first changed it."""
        return self.state_dir / "hosts.before-blocker"

    @property
    def shared_dir(self) -> Path:
        """Where blocker puts what the person's own programs must read (Firefox reads the
        extension's XPI itself): the socket's folder, which everyone may enter
        (/run/blocker, 0755), unlike the state folder (0700)."""
        return self.socket.parent

    @property
    def uninstalled_marker(self) -> Path:
        """Left beside the block list when an uninstall completes, so that `blocker status`
        can say so without a daemon: the state folder is gone by then, or root's alone."""
        return self.config.parent / "blocker-uninstalled.json"

    def under_root(self, system_path: Path) -> Path:
        """Where a path of the machine's (/etc/..., /home/...) is for these paths: itself,
        or its copy under a sandbox's root."""
        return self.root / system_path.relative_to(system_path.anchor)

    @property
    def is_system(self) -> bool:
        """Whether blocker acts on the machine itself: its own hosts file and the browsers'
        own policy folders. Only then is the DNS cache flushed and may strict mode close
        a browser; a --sandbox (even one given the real hosts file) never does either."""
        return self.hosts_is_system and self.root == Path("/")

    @property
    def hosts_is_system(self) -> bool:
        """Whether the hosts file is the machine's own, the one every program's resolver
        reads: only then does a blocked name lead this machine's programs to its loopback,
        where the daemon counts whole-site attempts. Asked apart from is_system because
        `--sandbox DIR --hosts-file /etc/hosts` (the site-attempt tests, in a private
        mount namespace) counts attempts while its policy folders stay in DIR."""
        return self.hosts == _system_hosts()

    @property
    def is_system_daemon(self) -> bool:
        """Whether a daemon with these paths is the machine's installed service: it listens
        on the machine's control socket. Only that daemon may remove the service files when
        an uninstall matures. A --sandbox or --state-dir daemon has a socket of its own;
        --config or --hosts-file alone leaves it on the machine's socket."""
        return self.socket == _system_socket()

    @classmethod
    def system(cls) -> Paths:
        return cls(
            config=_system_config(),
            hosts=_system_hosts(),
            state_dir=_system_state(),
            socket=_system_socket(),
        )

    @classmethod
    def sandbox(cls, folder: Path) -> Paths:
        return cls(
            config=folder / "blocklist.yaml",
            hosts=folder / "hosts",
            state_dir=folder / "state",
            socket=Path(sockets.socket_path(str(folder), None)),
            root=folder / "root",
            sandbox_dir=folder,
        )

    def with_overrides(
        self, config: Path | None, hosts: Path | None, state_dir: Path | None
    ) -> Paths:
        return Paths(
            config=config or self.config,
            hosts=hosts or self.hosts,
            state_dir=state_dir or self.state_dir,
            # A daemon with its own state has its own socket beside it.
            socket=Path(sockets.socket_path(None, str(state_dir))) if state_dir else self.socket,
            root=self.root,
            sandbox_dir=self.sandbox_dir,
        )


# The `start:` line of the shipped example; a fresh sandbox's period starts on its first day.
_EXAMPLE_START = re.compile(rb"(?m)^(  start: )\S+")


def sandbox_example(today: date) -> bytes:
    """The shipped example block list with its period starting on `today` (its made-up
    entries show what a block looks like, from day 1)."""
    shipped = data_file("blocklist.yaml").read_bytes()
    return _EXAMPLE_START.sub(rb"\g<1>" + today.isoformat().encode(), shipped, count=1)


def is_sandbox_example(written: bytes) -> bool:
    """Whether `written` is a sandbox's starting list, untouched but for its start date:
    `blocker init` may replace it without --force."""
    shipped = data_file("blocklist.yaml").read_bytes()
    return _EXAMPLE_START.sub(b"", written, count=1) == _EXAMPLE_START.sub(b"", shipped, count=1)


def prepare_sandbox(folder: Path, today: Callable[[], date] = date.today) -> Paths:
    """Create a sandbox on first use: the real hosts file copied in, the example block list
    beside it, its period starting `today()` (the local date). Later uses find them there
    and change nothing."""
    paths = Paths.sandbox(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not paths.hosts.exists():
        shutil.copyfile(_system_hosts(), paths.hosts)
    if not paths.config.exists():
        write_atomically(paths.config, sandbox_example(today()), mode=0o600)
    return paths
