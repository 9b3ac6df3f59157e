"""The daemon's status, as `blocker status --json` and the tray receive it."""

from __future__ import annotations

from typing import Any

from blocker.core import gate, report
from blocker.core.commandhint import with_sandbox
from blocker.core.truth import Truth, what_holds
from blocker.daemon.engine import Engine
from blocker.errors import BlockerError
from blocker.ipc.answers import DaemonStatus


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


def pause_offer(engine: Engine) -> dict[str, Any]:
    """The pauses one may ask for now: the shortest and longest lengths (seconds) and,
    where none may be asked for, why, in the words the refusal would use."""
    rules = engine.pause_rules()
    try:
        engine.refuse_while_held("pause")
        refusal = gate.pause_refusal(
            engine.gate_state, engine.trusted_now(), rules, engine.zone, blocking=engine.enforcing
        )
    except BlockerError as error:
        refusal = str(error)
    return {
        "shortest": int(gate.shortest_pause(rules).total_seconds()),
        "longest": int(rules.max_length.total_seconds()),
        "refusal": None if refusal is None else with_sandbox(refusal, engine.sandbox),
    }


def status(engine: Engine) -> DaemonStatus:
    """The daemon's status: built here only, for every request, subscriber and doctor."""
    now = truth(engine)
    served = engine.layers.extension
    hosts = engine.layers.hosts
    return DaemonStatus(
        report=report.status_json(now),
        stopped=engine.stopped,
        wall_clock=engine.clocks.wall().astimezone(engine.zone).isoformat(timespec="seconds"),
        pause=report.pause_json(engine.gate_state, now.now, engine.zone),
        week=engine.week(),
        pause_offer=pause_offer(engine),
        title_patterns=list(now.enforced.title_patterns),
        watching_titles=engine.watching_titles,
        process_watch=engine.process_watch,
        extension={"served": True, "id": served.extension_id, "update_url": served.update_url}
        if served is not None
        else {"served": False, "problem": engine.extension_problem},
        firefox_unsigned_addons=engine.effective().firefox_unsigned_addons,
        failing_layers=engine.layer_failures,
        hosts_lines_off=[
            {"where": f"{hosts.path}:{entry.line}", "line": entry.line, "names": list(entry.names)}
            for entry in hosts.neutralised
        ],
    )
