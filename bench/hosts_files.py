"""The hosts-file figures: applying and removing a block on a large hosts file, set
against copying that file once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.figures import Figure
from bench.measure import median, seconds
from blocker.enforce.hosts import HostsFile
from blocker.hosts import hostsedit

LINES = 150_000


def ad_blocking_hosts_file() -> bytes:
    """A hosts file as an ad-blocking list makes it: a header, the usual local names, then
    150,000 sunk names of varied length."""
    header = [
        "# Title: a large ad-blocking hosts list (generated for the benchmark)",
        "127.0.0.1 localhost",
        "127.0.1.1 laptop",
        "::1 localhost ip6-localhost ip6-loopback",
        "",
    ]
    sunk = [
        f"0.0.0.0 {'cdn-' * (n % 3)}ads{n}.tracker{n % 977}.example"
        for n in range(LINES - len(header))
    ]
    return ("\n".join(header + sunk) + "\n").encode()


def blocked_names(count: int) -> list[str]:
    return [f"{'www.' if n % 2 else ''}profile{n}.site{n % 53}.example.com" for n in range(count)]


@dataclass(frozen=True)
class Timings:
    copy: float
    apply: float
    remove: float
    check: float  # the look for other lines that map a blocked name, after a change


def time_block(folder: Path, original: bytes, domains: list[str], rounds: int) -> Timings:
    """Medians over `rounds` of: copying the file to a new one, applying the block to the
    clean file, looking for lines that defeat it, removing it again."""
    hosts_path, copy_path = folder / "hosts", folder / "copy-of-hosts"
    hosts = HostsFile(hosts_path, folder / "state" / "hosts.before-blocker")
    hosts_path.write_bytes(original)
    copies, applies, removes, checks = [], [], [], []
    for _ in range(rounds + 1):  # the first round warms the caches and is dropped
        copy_path.unlink(missing_ok=True)
        copies.append(seconds(lambda: shutil.copyfile(hosts_path, copy_path)))
        applies.append(seconds(lambda: hosts.reconcile(domains)))
        checks.append(seconds(lambda: hostsedit.foreign_entries(hosts.read_bytes(), domains)))
        removes.append(seconds(lambda: hosts.reconcile(())))
        if hosts_path.read_bytes() != original:
            raise AssertionError("removing the block did not give the file back byte for byte")
    return Timings(*(median(samples[1:]) for samples in (copies, applies, removes, checks)))


def figures(folder: Path, rounds: int) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    original = ad_blocking_hosts_file()
    size = f"{len(original) / 1e6:.1f} MB, {LINES:,} lines"
    usual = time_block(folder, original, blocked_names(2_000), rounds)
    large = time_block(folder, original, blocked_names(10_000), rounds)
    copy = f"shutil.copyfile of the hosts file ({size}): {usual.copy * 1e3:.1f} ms"
    return [
        Figure(
            "hosts_apply_ratio",
            usual.apply / usual.copy,
            3,
            "x",
            f"{copy}; apply 2,000 names {usual.apply * 1e3:.1f} ms "
            f"(the check for lines that defeat it, after: {usual.check * 1e3:.1f} ms)",
        ),
        Figure(
            "hosts_remove_ratio",
            usual.remove / usual.copy,
            3,
            "x",
            f"the same copy; remove {usual.remove * 1e3:.1f} ms",
        ),
        Figure(
            "large_list_apply_ratio",
            large.apply / large.copy,
            5,
            "x",
            f"copy {large.copy * 1e3:.1f} ms; apply 10,000 names {large.apply * 1e3:.1f} ms",
        ),
    ]
