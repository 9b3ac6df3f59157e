"""The daemon's status, as `blocker status --json` and the tray receive it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blocker import gate, report
from blocker.plan import plan

if TYPE_CHECKING:
    from blocker.engine import Engine


def status(engine: Engine) -> dict[str, Any]:
    config, trusted = engine.effective(), engine.trusted_now()
    desired = engine.desired or plan(config, trusted, engine.zone)
    facts = report.Facts(config, desired, trusted, engine.zone, engine.blocked_names)
    result = report.status_json(facts)
    result["blocking"] = engine.enforcing
    result["period_blocking"] = desired.blocking
    result["stopped"] = engine.state.stopped
    result["daemon"] = True
    # Both clocks, so a person (and a test) can see when the system clock was moved.
    result["wall_clock"] = (
        engine.clocks.wall().astimezone(engine.zone).isoformat(timespec="seconds")
    )
    result["pause"] = report.pause_json(engine.state.gate, trusted, engine.zone)
    # For a watcher in the person's session (the tray) when the daemon has no display.
    result["title_patterns"] = list(desired.title_patterns) if engine.enforcing else []
    result["watching_titles"] = engine.watching_titles
    result["process_watch"] = engine.process_watch
    result["week"] = gate.week_counts(engine.state.gate, trusted)
    # Layers that failed on the last step (the rest hold); empty when all work.
    result["failing_layers"] = dict(engine.layer_failures)
    # Lines of the person's turned off while blocking, so they know where theirs went.
    hosts = engine.layers.hosts
    result["hosts_lines_off"] = [
        {"where": f"{hosts.path}:{entry.line}", "line": entry.line, "names": list(entry.names)}
        for entry in hosts.neutralised
    ]
    return result
