"""SIGKILL at many points while a 2,000-name block goes into a 150,000-line hosts file:
the person's lines are never touched, and whatever part of our section was written is
taken out whole (or completed) by the next run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from blocker.enforce.hosts import HostsFile
from blocker.hosts import hoststext
from tests.e2e.helpers import require_namespaces, with_private_hosts

DOMAINS = [f"site{number}.example.com" for number in range(2000)]
WRITER = """
import sys
from pathlib import Path
from blocker.enforce.hosts import HostsFile
hosts = HostsFile(Path(sys.argv[1]), Path(sys.argv[2]))
domains = [f"site{number}.example.com" for number in range(2000)]
print("ready", flush=True)
sys.stdin.readline()
hosts.reconcile(domains)
print("done", flush=True)
"""


def large_hosts_file() -> bytes:
    lines = [
        f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256} host{n}.lan.example"
        for n in range(150_000)
    ]
    return (
        "# a large hosts file, as ad-blocking lists make them\n" + "\n".join(lines) + "\n"
    ).encode()


def start_writer(command: list[str]) -> subprocess.Popen[str]:
    writer = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    assert writer.stdin is not None
    assert writer.stdout.readline().strip() == "ready"
    return writer


def go_and_kill_after(writer: subprocess.Popen[str], delay: float | None) -> None:
    assert writer.stdin is not None
    writer.stdin.write("go\n")
    writer.stdin.flush()
    if delay is None:
        writer.wait(timeout=60)
    else:
        time.sleep(delay)
        writer.kill()
        writer.wait(timeout=60)
    writer.communicate()


def full_write_seconds(command: list[str]) -> float:
    writer = start_writer(command)
    started = time.monotonic()
    go_and_kill_after(writer, None)
    return time.monotonic() - started


@pytest.mark.parametrize("mount_point", [False, True], ids=["plain-file", "bind-mounted"])
def test_a_killed_writer_never_damages_the_persons_lines_or_leaves_ours_behind(
    tmp_path: Path, mount_point: bool
) -> None:
    if mount_point:
        require_namespaces()
    hosts, backup = tmp_path / "hosts", tmp_path / "state" / "backup"
    old = large_hosts_file()
    hosts.write_bytes(old)
    target = "/etc/hosts" if mount_point else str(hosts)
    command = [sys.executable, "-c", WRITER, target, str(backup)]
    if mount_point:
        command = with_private_hosts(hosts, *command)
    duration = full_write_seconds(command)
    new = hosts.read_bytes()
    assert hoststext.blocked_names(hoststext.decode(new)) == frozenset(DOMAINS)

    outcomes = {"old": 0, "new": 0, "partial": 0}
    for step in range(24):
        hosts.write_bytes(old)
        writer = start_writer(command)
        go_and_kill_after(writer, duration * 1.2 * step / 23)
        found = hosts.read_bytes()
        if found in (old, new):
            outcomes["old" if found == old else "new"] += 1
            continue
        # The section is appended in place, so a kill can catch it halfway: everything
        # else is the old text, and the next reconcile completes it.
        assert found.startswith(old), "the person's lines were touched"
        assert hoststext.remove_section(hoststext.decode(found)) == hoststext.decode(old)
        outcomes["partial"] += 1
        HostsFile(hosts, backup).reconcile(DOMAINS)
        assert hosts.read_bytes() == new
    # The kills landed both before the write and after it, so the window between was probed.
    assert outcomes["old"] > 0, outcomes
    assert outcomes["new"] > 0, outcomes
