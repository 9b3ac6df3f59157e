"""What the running daemon costs: CPU while it watches, memory, and how quickly the CLI
gets an answer from it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from bench.figures import Figure
from bench.measure import clean_environment, median, seconds
from bench.sandbox import SandboxDaemon


@contextlib.contextmanager
def extra_processes(count: int) -> Iterator[None]:
    """`count` sleeping processes, as a busy desktop has, for the process watcher to see."""
    sleepers = [
        subprocess.Popen(["sleep", "100000"], stdin=subprocess.DEVNULL) for _ in range(count)
    ]
    try:
        yield
    finally:
        for sleeper in sleepers:
            sleeper.kill()
        for sleeper in sleepers:
            sleeper.wait()


def _cpu_seconds_of_ps() -> float:
    """Run `ps -e` once and return the CPU time it used (user and system)."""
    with Path(os.devnull).open("wb") as sink:
        pid = os.posix_spawnp(
            "ps",
            ["ps", "-e"],
            dict(os.environ),
            file_actions=[(os.POSIX_SPAWN_DUP2, sink.fileno(), 1)],
        )
        _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(pid: int) -> float:
    """CPU time used by all threads of `pid`, to the nanosecond where Linux tells it per
    thread (/proc/PID/task/*/schedstat): the user and system times psutil reads are
    counted in ticks of 10 ms, a tenth of the whole target over a ten-second window."""
    tasks = Path(f"/proc/{pid}/task")
    try:
        return (
            sum(int((task / "schedstat").read_text().split()[0]) for task in tasks.iterdir()) / 1e9
        )
    except (OSError, ValueError, IndexError):
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)


def idle_cpu(daemon: SandboxDaemon, window: float, extra: int) -> list[Figure]:
    """The daemon's CPU over `window` seconds of idle watching with `extra` more processes
    running, set against one `ps -e` a second over the same window."""
    with extra_processes(extra):
        time.sleep(5)  # the watcher's first look at the new processes is not idling
        before = cpu_seconds(daemon.pid)
        started = time.monotonic()
        ps_seconds = 0.0
        while (elapsed := time.monotonic() - started) < window:
            ps_seconds += _cpu_seconds_of_ps()
            time.sleep(max(0.0, 1 - (time.monotonic() - started - elapsed)))
        daemon_seconds = cpu_seconds(daemon.pid) - before
        wall = time.monotonic() - started
    percent = 100 * daemon_seconds / wall
    described = f"{wall:.0f} s idle with {extra} more processes; one `ps -e` a second"
    return [
        Figure(
            "watch_idle_cpu_percent",
            percent,
            0.2,
            "%",
            f"{described} used {100 * ps_seconds / wall:.2f} % of a core",
        ),
        Figure(
            "watch_idle_cpu_vs_ps_ratio",
            daemon_seconds / ps_seconds if ps_seconds else float("inf"),
            1,
            "x",
            f"the daemon's CPU over the same {wall:.0f} s against that of `ps -e` once a second",
        ),
    ]


def _resident_bytes_of_bare_python() -> int:
    bare = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE,
        env=clean_environment(),
    )
    try:
        time.sleep(0.5)
        return int(psutil.Process(bare.pid).memory_info().rss)
    finally:
        if bare.stdin is not None:
            bare.stdin.close()
        bare.wait(10)


def memory(daemon: SandboxDaemon) -> Figure:
    daemon_rss = psutil.Process(daemon.pid).memory_info().rss
    bare = _resident_bytes_of_bare_python()
    return Figure(
        "daemon_rss_ratio",
        daemon_rss / bare,
        3,
        "x",
        f"the idle daemon {daemon_rss / 2**20:.1f} MiB against a bare Python "
        f"{bare / 2**20:.1f} MiB",
    )


def cli_start(daemon: SandboxDaemon, rounds: int) -> Figure:
    """`blocker status --json` against `python -c pass`, run in turns so that the machine's
    moods fall on both alike."""
    environment = clean_environment()
    status = daemon.cli("status", "--json")
    bare = [sys.executable, "-c", "pass"]

    def run(argv: list[str]) -> float:
        return seconds(
            lambda: subprocess.run(argv, env=environment, stdout=subprocess.DEVNULL, check=True)
        )

    run(status), run(bare)  # the first runs read the files from disk
    pairs = [(run(bare), run(status)) for _ in range(rounds)]
    bare_median, status_median = median([b for b, _ in pairs]), median([s for _, s in pairs])
    return Figure(
        "cli_start_ratio",
        status_median / bare_median,
        2.5,
        "x",
        f"`blocker status --json` {status_median * 1e3:.1f} ms against `python -c pass` "
        f"{bare_median * 1e3:.1f} ms (medians of {rounds})",
    )
