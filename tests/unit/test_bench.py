"""The benchmark's own arithmetic and report (its measurements run in CI as scripts/bench)."""

from __future__ import annotations

import json

from bench.figures import Figure, as_json, table
from bench.measure import percentile


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
