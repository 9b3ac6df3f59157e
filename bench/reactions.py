"""How fast the daemon reacts: to a foreign edit that removes the block, and to the start
of a block by the schedule."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.figures import Figure
from bench.measure import median, percentile, wait_until
from bench.sandbox import SandboxDaemon, block_list, wait_for_the_block
from blocker.hosts import hoststext


def _remove_the_section(hosts: Path, in_place: bool) -> None:
    """A foreign edit that takes our section out, as editors make them: a new file renamed
    over the old one (vim, sed -i), or the same file truncated and rewritten (nano, >)."""
    text = hoststext.encode(hoststext.remove_section(hoststext.decode(hosts.read_bytes())))
    if in_place:
        hosts.write_bytes(text)
        return
    replacement = hosts.with_name("hosts.edited")
    replacement.write_bytes(text)
    replacement.replace(hosts)


def tamper(daemon: SandboxDaemon, edits: int) -> list[Figure]:
    delays = []
    for edit in range(edits):
        wait_until(daemon.blocking, 10, "the block before an edit")
        time.sleep(0.05)  # let the daemon go back to waiting
        _remove_the_section(daemon.hosts, in_place=edit % 2 == 1)
        removed = time.perf_counter()
        wait_until(daemon.blocking, 10, "the block to come back")
        delays.append((time.perf_counter() - removed) * 1e3)
    p50, p99 = median(delays), percentile(delays, 0.99)
    described = f"{edits} foreign edits (half renamed over, half rewritten in place)"
    return [
        Figure("tamper_restore_ms_p50", p50, 1000, "ms", f"{described}; aim <= 100 ms"),
        Figure("tamper_restore_ms_p99", p99, 1000, "ms", f"{described}; max {max(delays):.1f} ms"),
    ]


def boundary(folder: Path, samples: int) -> Figure:
    """A daemon whose period starts a few seconds after it does; each time the block has
    come and gone, the block list moves the next period a few seconds ahead."""
    lags = []

    def next_period() -> tuple[datetime, str]:
        start = datetime.now().replace(microsecond=0) + timedelta(seconds=3)
        return start, block_list(start, start + timedelta(seconds=2))

    start, text = next_period()
    daemon = SandboxDaemon(folder, text)
    daemon.start()
    try:
        for sample in range(samples):
            seen = wait_for_the_block(daemon, present=True, timeout=30)
            lags.append((seen - start.timestamp()) * 1e3)
            wait_for_the_block(daemon, present=False, timeout=30)
            if sample + 1 < samples:
                start, text = next_period()
                daemon.write_block_list(text)
    finally:
        daemon.stop()
    return Figure(
        "boundary_lag_ms",
        max(lags),
        1000,
        "ms",
        f"the latest of {samples} block starts, from the planned second to the hosts file "
        f"holding it (median {median(lags):.1f} ms)",
    )
