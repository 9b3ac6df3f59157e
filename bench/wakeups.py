"""How seldom the idle daemon wakes, and what it costs while another program reads the
files of its folders (issue 11, point 8).

A wake-up is counted as Linux counts them: each time one of the daemon's threads went to
sleep of its own accord and was woken again (voluntary_ctxt_switches in
/proc/PID/task/TID/status, summed over every thread). A timer, a file event, a request
and a process event all show there; being pre-empted by another program does not
(those are the involuntary switches).
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from bench.daemon_costs import cpu_seconds
from bench.figures import Figure
from bench.folder_reader import files_to_read
from bench.measure import clean_environment
from bench.sandbox import SandboxDaemon
from blocker.watch.exec_events import ExecEvents, open_exec_events

IDLE_TARGET = 12.0  # a minute: the files' 10 s safety net (6), the step and checkpoint (2)
SCAN_WAKEUPS = 30.0  # a minute, where the kernel sends no process events: a scan every 2 s
READS_PER_SECOND = 500
# Files a machine's folder of hosts has beside it, for the reader to read too.
NEIGHBOURS = {"host.conf": b"multi on\n", "nsswitch.conf": b"hosts: files dns\n"}


def thread_sleeps(pid: int) -> dict[str, int]:
    """Each thread's count of voluntary context switches, by thread id."""
    counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
        except OSError:
            continue  # the thread ended while we looked
        for line in status.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                counts[task.name] = int(line.split()[1])
    return counts


def wakeups_between(before: Mapping[str, int], after: Mapping[str, int]) -> int:
    """The wake-ups of every thread between two readings. A thread started in between
    counts from zero; one that ended in between is not counted (the daemon starts none
    while idle)."""
    return sum(count - before.get(thread, 0) for thread, count in after.items())


def per_minute(count: int, seconds: float) -> float:
    return 60 * count / seconds


def idle_target(process_events: bool, seconds_with_starts: int = 0, window: float = 60) -> float:
    """Where the kernel tells of programs started the process scan is gone, and the
    daemon may wake twice for each second in which the machine started programs: to
    look, then a second later to listen again (it looks at most once a second). Where
    it does not (not root, a container) the scan's wake-ups are allowed for instead.
    Both are said in the figure."""
    if not process_events:
        return IDLE_TARGET + SCAN_WAKEUPS
    return IDLE_TARGET + per_minute(2 * seconds_with_starts, window)


def programs_started(listener: ExecEvents | None, window: float) -> tuple[int, int] | None:
    """Waits `window` s; how many programs the machine started meanwhile, and in how many
    distinct seconds. None where the kernel does not tell this process."""
    if listener is None:
        time.sleep(window)
        return None
    count, seconds = 0, set()
    deadline = time.monotonic() + window
    while (remaining := deadline - time.monotonic()) > 0:
        if select.select([listener], [], [], remaining)[0]:
            started = len(listener.read()[0])
            count += started
            if started:
                seconds.add(int(time.monotonic()))
    return count, len(seconds)


def _process_watch(daemon: SandboxDaemon) -> str:
    result = subprocess.run(
        daemon.cli("status", "--json"),
        env=clean_environment(),
        capture_output=True,
        check=True,
        text=True,
    )
    return str(json.loads(result.stdout).get("process_watch", ""))


def idle_wakeups(daemon: SandboxDaemon, window: float) -> Figure:
    how = _process_watch(daemon)  # before the window: the CLI's start is not idling
    events = "kernel" in how
    listener = open_exec_events() if events else None  # the bench's own ear
    try:
        time.sleep(1)
        before, started = thread_sleeps(daemon.pid), time.monotonic()
        heard = programs_started(listener, window)
        after, wall = thread_sleeps(daemon.pid), time.monotonic() - started
    finally:
        if listener is not None:
            listener.close()
    count = wakeups_between(before, after)
    programs, seconds = heard or (0, 0)
    machine = (
        f"; the machine started {programs} programs in {seconds} distinct seconds "
        "meanwhile (two wake-ups allowed for each)"
        if heard is not None
        else f"; browsers {how} (the target allows the scan's {SCAN_WAKEUPS:.0f})"
    )
    return Figure(
        "idle_wakeups_per_minute",
        per_minute(count, wall),
        idle_target(events, seconds, wall),
        "/min",
        f"{count} wake-ups of its {len(after)} threads (voluntary context switches) in "
        f"{wall:.0f} s idle, no display (a service's; with one, titles are read every "
        f"second){machine}",
    )


def busy_folder(daemon: SandboxDaemon, window: float) -> Figure:
    """The daemon's CPU while another process reads the hosts file and the other files of
    its folder 500 times a second."""
    for name, text in NEIGHBOURS.items():
        (daemon.hosts.parent / name).write_bytes(text)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.folder_reader",
            str(daemon.hosts.parent),
            str(READS_PER_SECOND),
            str(window),
        ],
        env=clean_environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    others = len(set(files_to_read(daemon.hosts.parent))) - 1
    if reader.stdout is None or reader.stdout.readline().strip() != "reading":
        raise RuntimeError("the folder reader did not start")
    before, sleeps, started = cpu_seconds(daemon.pid), thread_sleeps(daemon.pid), time.monotonic()
    reads = int(reader.stdout.readline())
    wall = time.monotonic() - started
    used, woken = (
        cpu_seconds(daemon.pid) - before,
        wakeups_between(sleeps, thread_sleeps(daemon.pid)),
    )
    reader.wait(10)
    return Figure(
        "busy_folder_cpu_percent",
        100 * used / wall,
        0.2,
        "%",
        f"{reads:,} reads of the hosts file and the {others} other files of its "
        f"folder in {wall:.0f} s ({reads / wall:.0f}/s); the daemon woke {woken} times",
    )
