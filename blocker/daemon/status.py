"""The daemon's status, as `blocker status --json` and the tray receive it."""

from __future__ import annotations

from typing import Any

from blocker.core import report
from blocker.core.truth import Truth, what_holds
from blocker.daemon.engine import Engine


def truth(engine: Engine) -> Truth:
    """What holds now, for every answer the daemon gives about it."""
    return what_holds(
        engine.trusted_now(),
        engine.zone,
        engine.effective(),
        engine.planned(),
        engine.gate_state,
        stopped=engine.stopped,
        held=engine.held,
        rejected=engine.intake.last_rejected,
        after_edit=engine.after_waiting_edit(),
        hosts_blocked=engine.blocked_names,
    )


def listing(engine: Engine) -> dict[str, Any]:
    """The entries in force and what is enforced, for `blocker list` and `blocker plan`:
    an entry whose removal waits is still in force, and they say so."""
    now = truth(engine)
    return {"list": report.list_json(now), "plan": report.plan_json(now)}


def status(engine: Engine) -> dict[str, Any]:
    now = truth(engine)
    trusted = now.now
    result = report.status_json(now)
    result["stopped"] = engine.stopped
    result["daemon"] = True
    # Both clocks, so a person (and a test) can see when the system clock was moved.
    result["wall_clock"] = (
        engine.clocks.wall().astimezone(engine.zone).isoformat(timespec="seconds")
    )
    result["pause"] = report.pause_json(engine.gate_state, trusted, engine.zone)
    # For a watcher in the person's session (the tray) when the daemon has no display.
    result["title_patterns"] = list(now.enforced.title_patterns)
    result["watching_titles"] = engine.watching_titles
    result["process_watch"] = engine.process_watch
    served = engine.layers.extension
    result["extension"] = (
        {"served": True, "id": served.extension_id, "update_url": served.update_url}
        if served is not None
        else {"served": False, "problem": engine.extension_problem}
    )
    result["week"] = engine.week()
    # For `doctor`: whether Firefox may install blocker's unsigned extension.
    result["firefox_unsigned_addons"] = engine.effective().firefox_unsigned_addons
    # Layers that failed on the last step (the rest hold); empty when all work.
    result["failing_layers"] = dict(engine.layer_failures)
    # Lines of the person's turned off while blocking, so they know where theirs went.
    hosts = engine.layers.hosts
    result["hosts_lines_off"] = [
        {"where": f"{hosts.path}:{entry.line}", "line": entry.line, "names": list(entry.names)}
        for entry in hosts.neutralised
    ]
    return result
