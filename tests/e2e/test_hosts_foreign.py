"""A real daemon against the hosts file's other lines: a line that gives a blocked name a
real address, one added during the block, the file emptied, the file replaced by a link.
The oracle is glibc's resolver (`getent`) reading the sandbox's file as /etc/hosts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import SandboxDaemon, require_namespaces, resolve, wait_for

SINKS = {"0.0.0.0", "::"}
BEFORE = (
    b"127.0.0.1 localhost\n"
    b"157.240.1.1 alexblog.example.com\n"
    b"10.0.0.5 nas.local www.alexblog.example.com # my nas\n"
)
ADDED = b"157.240.1.2 m.alexblog.example.com\n"


def block_list(until: datetime | None) -> str:
    end = f"  until: {until:%Y-%m-%d %H:%M:%S}\n" if until else "  days: 3000\n"
    return f"period:\n  start: 2026-01-01\n{end}sites:\n  - alexblog.example.com\n"


@pytest.fixture
def started() -> Iterator[list[SandboxDaemon]]:
    daemons: list[SandboxDaemon] = []
    yield daemons
    for daemon in daemons:
        daemon.stop()


def start(folder: Path, until: datetime | None, hosts: bytes, daemons: list[SandboxDaemon]) -> Path:
    daemon = SandboxDaemon(folder, block_list(until))
    (folder / "hosts").write_bytes(hosts)
    daemon.start()
    daemons.append(daemon)
    return folder / "hosts"


def test_lines_giving_a_blocked_name_a_real_address_are_off_during_the_block_and_back_after(
    tmp_path: Path, started: list[SandboxDaemon]
) -> None:
    require_namespaces()
    end = datetime.now().replace(microsecond=0) + timedelta(seconds=10)
    hosts = start(tmp_path, end, BEFORE, started)
    wait_for(lambda: resolve(hosts, "alexblog.example.com") == SINKS, 5, "the line before")
    assert resolve(hosts, "www.alexblog.example.com") == SINKS
    assert resolve(hosts, "nas.local") == {"10.0.0.5"}, "the other name on the line still works"
    lines_off = started[0].status()["hosts_lines_off"]
    assert [(entry["line"], entry["names"]) for entry in lines_off] == [
        (2, ["alexblog.example.com"]),
        (4, ["www.alexblog.example.com"]),
    ]
    assert lines_off[0]["where"] == f"{hosts}:2"

    with hosts.open("ab") as stream:  # added during the block
        stream.write(ADDED)
    took = wait_for(lambda: resolve(hosts, "m.alexblog.example.com") == SINKS, 5, "the added line")
    assert took < 1.0

    hosts.write_bytes(b"")  # emptied: the person's lines come back, and stay off meanwhile
    wait_for(lambda: b"127.0.0.1 localhost\n" in hosts.read_bytes(), 5, "the lines back")
    wait_for(lambda: resolve(hosts, "m.alexblog.example.com") == SINKS, 5, "still blocked")

    time.sleep(max(0.0, end.timestamp() - time.time()))
    wait_for(lambda: hosts.read_bytes() == BEFORE + ADDED, 5, "the file back byte for byte")
    assert resolve(hosts, "alexblog.example.com") == {"157.240.1.1"}
    assert not (tmp_path / "state" / "hosts.persons-lines").exists()


def test_a_link_put_in_the_hosts_files_place_does_not_end_the_block(
    tmp_path: Path, started: list[SandboxDaemon]
) -> None:
    require_namespaces()
    hosts = start(tmp_path, None, b"127.0.0.1 localhost\n", started)
    wait_for(lambda: resolve(hosts, "alexblog.example.com") == SINKS, 5, "the block")
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    link = tmp_path / "new-link"
    link.symlink_to(empty)
    link.replace(hosts)  # ln -sf empty hosts
    wait_for(lambda: not hosts.is_symlink(), 5, "a file in the link's place")
    assert resolve(hosts, "alexblog.example.com") == SINKS
    assert empty.read_bytes() == b"", "nothing is written through the link"
    assert hosts.read_bytes().startswith(b"127.0.0.1 localhost\n")
