"""Run every figure and print them: a table for a person, or one JSON object with --json.
Exits 0 when every target holds, 1 when one does not."""

from __future__ import annotations

import argparse
import compileall
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import browser, daemon_costs, hosts_files, reactions, wakeups
from bench.figures import Figure, as_json, table
from bench.measure import wait_until
from bench.sandbox import SandboxDaemon, block_on_now

ORDER = [
    "hosts_apply_ratio",
    "hosts_remove_ratio",
    "large_list_apply_ratio",
    "watch_idle_cpu_percent",
    "watch_idle_cpu_vs_ps_ratio",
    "idle_wakeups_per_minute",
    "busy_folder_cpu_percent",
    "tamper_restore_ms_p50",
    "tamper_restore_ms_p99",
    "boundary_lag_ms",
    "inapp_block_ms",
    "add_to_refusal_s",
    "cli_start_ratio",
    "daemon_rss_ratio",
]
EXTRA_PROCESSES = 500
REAL_FILES = (Path("/etc/hosts"),)
REAL_FOLDERS = (Path("/etc/chromium"), Path("/usr/local/lib/blocker"))


@dataclass(frozen=True)
class Settings:
    hosts_rounds: int
    idle_seconds: float
    wakeup_seconds: float
    busy_seconds: float
    tamper_edits: int
    cli_rounds: int
    boundaries: int
    stops: int  # pushStates to a blocked profile in a real browser
    adds: int  # `blocker add`s of a profile open in it, each after a quiet half-minute


# The wake-up window spans three of the files' 10 s safety-net checks even when quick.
FULL = Settings(
    hosts_rounds=15,
    idle_seconds=60,
    wakeup_seconds=60,
    busy_seconds=20,
    tamper_edits=50,
    cli_rounds=40,
    boundaries=5,
    stops=50,
    adds=3,
)
QUICK = Settings(
    hosts_rounds=7,
    idle_seconds=20,
    wakeup_seconds=30,
    busy_seconds=10,
    tamper_edits=20,
    cli_rounds=25,
    boundaries=2,
    stops=50,
    adds=1,
)


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def measure(settings: Settings, folder: Path) -> list[Figure]:
    _say("applying and removing blocks on a 150,000-line hosts file")
    figures = hosts_files.figures(folder / "hosts-files", settings.hosts_rounds)
    daemon = SandboxDaemon(folder / "daemon", block_on_now())
    daemon.start()
    try:
        wait_until(daemon.blocking, 10, "the sandboxed daemon's block")
        _say(f"watching {settings.idle_seconds:.0f} s with {EXTRA_PROCESSES} more processes")
        figures += daemon_costs.idle_cpu(daemon, settings.idle_seconds, EXTRA_PROCESSES)
        figures.append(daemon_costs.memory(daemon))
        _say(f"counting the idle daemon's wake-ups for {settings.wakeup_seconds:.0f} s")
        figures.append(wakeups.idle_wakeups(daemon, settings.wakeup_seconds))
        _say(
            f"reading its folder {wakeups.READS_PER_SECOND} times a second for "
            f"{settings.busy_seconds:.0f} s"
        )
        figures.append(wakeups.busy_folder(daemon, settings.busy_seconds))
        _say(f"taking the block out of the hosts file {settings.tamper_edits} times")
        figures += reactions.tamper(daemon, settings.tamper_edits)
        _say("timing `blocker status --json`")
        figures.append(daemon_costs.cli_start(daemon, settings.cli_rounds))
    finally:
        daemon.stop()
    _say(f"waiting for {settings.boundaries} scheduled block starts")
    figures.append(reactions.boundary(folder / "boundary", settings.boundaries))
    _say(f"{settings.stops} in-app routes and {settings.adds} adds in a real Chromium")
    figures += browser.figures(folder / "browser", settings.stops, settings.adds)
    return sorted(figures, key=lambda figure: ORDER.index(figure.name))


def _listing() -> list[str]:
    """What the machine's own browser folders hold, to be sure the run left them alone."""
    return sorted(str(path) for folder in REAL_FOLDERS for path in folder.rglob("*"))


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Measure what blocker costs on this machine and how fast it reacts, "
        "each cost as a ratio against the cheapest way of doing the same work.",
    )
    parser.add_argument("--quick", action="store_true", help="a shorter run (about three minutes)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args(argv)
    # An installed package has its byte code; the start of `blocker status` is measured so.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "blocker", quiet=1)
    before = [path.read_bytes() for path in REAL_FILES], _listing()
    with tempfile.TemporaryDirectory(prefix="blocker-bench-") as folder:
        figures = measure(QUICK if args.quick else FULL, Path(folder))
    if ([path.read_bytes() for path in REAL_FILES], _listing()) != before:
        raise SystemExit("bench: the machine's own hosts file or policies changed during the run")
    print(as_json(figures) if args.json else table(figures))
    return 0 if all(figure.holds for figure in figures) else 1
