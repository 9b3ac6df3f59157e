"""The benchmark's own arithmetic and report (its measurements run in CI as scripts/bench)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.figures import Figure, as_json, table
from bench.folder_reader import files_to_read, read_at
from bench.measure import percentile
from bench.wakeups import idle_target, per_minute, wakeups_between


def test_the_99th_percentile_of_fifty_delays_is_the_slowest_and_the_median_rank_is_kept() -> None:
    delays = [float(n) for n in range(1, 51)]
    assert percentile(delays, 0.99) == 50
    assert percentile(delays, 0.5) == 25
    assert percentile([7.0], 0.99) == 7


def test_the_report_names_each_figure_its_target_and_whether_it_holds() -> None:
    figures = [
        Figure("hosts_apply_ratio", 1.5, 3, "x", "a copy"),
        Figure("tamper_restore_ms_p99", 1200.0, 1000, "ms", "fifty edits"),
    ]
    lines = table(figures).splitlines()
    assert lines[1].split()[:5] == ["hosts_apply_ratio", "1.50", "<=", "3.00", "yes"]
    assert "NO" in lines[2].split()
    assert json.loads(as_json(figures)) == {
        "hosts_apply_ratio": 1.5,
        "tamper_restore_ms_p99": 1200.0,
    }


def test_wakeups_are_summed_over_threads_and_a_thread_born_in_the_window_counts_from_zero() -> None:
    before = {"100": 40, "101": 7, "102": 3}  # 102 ended in the window: not counted
    after = {"100": 44, "101": 7, "103": 2}
    assert wakeups_between(before, after) == 6
    assert per_minute(6, 30.0) == 12


def test_the_idle_target_allows_the_scan_only_without_process_events() -> None:
    assert idle_target(process_events=True) == 12
    assert idle_target(process_events=False) == 12 + 30


def test_the_idle_target_allows_two_wake_ups_for_each_second_the_machine_started_programs() -> None:
    assert idle_target(process_events=True, seconds_with_starts=3, window=30.0) == 12 + 12


def test_the_reader_reads_the_hosts_file_every_other_time_and_keeps_its_rate(
    tmp_path: Path,
) -> None:
    for name in ("hosts", "blocklist.yaml", "host.conf"):
        (tmp_path / name).write_text(name)
    (tmp_path / "state").mkdir()  # folders are not read
    paths = files_to_read(tmp_path)
    assert [p.name for p in paths] == ["hosts", "blocklist.yaml", "hosts", "host.conf"]
    started = time.monotonic()
    reads = read_at(paths, rate=500, seconds=0.2)
    assert reads == 100
    assert 0.19 <= time.monotonic() - started < 1.0
