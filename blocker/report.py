"""What the CLI prints: one function per report, each giving text for a person or a dict
for `--json`. Pure: the facts come in, strings and dicts go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from blocker.config import Config
from blocker.gate import GateState, is_paused
from blocker.plan import Desired
from blocker.schedule import period_bounds
from blocker.targets import Target


@dataclass(frozen=True)
class Facts:
    """What a report needs to know about the moment it is made."""

    config: Config
    desired: Desired
    now: datetime
    zone: tzinfo
    hosts_blocked: frozenset[str] | None = None  # what the hosts file holds; None: unknown


def _local(moment: datetime | None, zone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def _when(moment: datetime | None, facts: Facts) -> str:
    if moment is None:
        return "never"
    local = moment.astimezone(facts.zone)
    seconds = int((moment - facts.now).total_seconds())
    if seconds < 3600:
        distance = f"in {max(seconds // 60, 0)} min"
    elif seconds < 2 * 86400:
        distance = f"in {seconds // 3600} h"
    else:
        distance = f"in {seconds // 86400} days"
    return f"{local:%a %d %b %Y %H:%M} ({distance})"


def day_of_period(facts: Facts) -> tuple[int, int] | None:
    """(day N, of M days) while the period runs; None before or after it."""
    start, end = period_bounds(facts.config.period, facts.zone)
    if not start <= facts.now < end:
        return None
    return (facts.now - start).days + 1, max(1, round((end - start).total_seconds() / 86400))


def target_dict(target: Target) -> dict[str, Any]:
    return {
        "label": target.label,
        "kind": target.kind,
        "platform": target.platform,
        "handle": target.handle,
        "hosts_domains": list(target.hosts_domains),
        "url_prefixes": list(target.url_prefixes),
    }


def plan_json(facts: Facts) -> dict[str, Any]:
    start, end = period_bounds(facts.config.period, facts.zone)
    desired = facts.desired
    return {
        "blocking": desired.blocking,
        "domains": list(desired.domains),
        "url_prefixes": list(desired.url_prefixes),
        "title_patterns": list(desired.title_patterns),
        "backdoor_domains": list(desired.backdoor_domains),
        "next_change": _local(desired.next_change, facts.zone),
        "period": {"start": _local(start, facts.zone), "end": _local(end, facts.zone)},
    }


def plan_text(facts: Facts) -> str:
    desired = facts.desired
    lines = [
        f"Blocking now: {'yes' if desired.blocking else 'no'}",
        f"Next change:  {_when(desired.next_change, facts)}",
    ]
    if not desired.blocking:
        lines.append("Nothing would be written now.")
        return "\n".join(lines)
    sites = [d for d in desired.domains if d not in desired.backdoor_domains]
    lines.append(f"Whole sites, in the hosts file ({len(sites)} names):")
    lines.extend(f"  {name}" for name in sites or ("(none)",))
    if desired.backdoor_domains:
        lines.append(
            f"Back doors: sites that show those profiles without logging in "
            f"({len(desired.backdoor_domains)} names):"
        )
        lines.extend(f"  {name}" for name in desired.backdoor_domains)
    lines.append(f"Single pages, in the browsers' policies ({len(desired.url_prefixes)}):")
    lines.extend(f"  {prefix}" for prefix in desired.url_prefixes or ("(none)",))
    return "\n".join(lines)


def status_json(facts: Facts) -> dict[str, Any]:
    day = day_of_period(facts)
    start, end = period_bounds(facts.config.period, facts.zone)
    hosts = facts.hosts_blocked
    return {
        "blocking": facts.desired.blocking,
        "next_change": _local(facts.desired.next_change, facts.zone),
        "now": _local(facts.now, facts.zone),
        "period": {
            "start": _local(start, facts.zone),
            "end": _local(end, facts.zone),
            "day": day[0] if day else None,
            "days": day[1] if day else None,
        },
        "targets": len(facts.config.targets),
        "reasons": list(facts.config.reasons),
        "hosts_section": None
        if hosts is None
        else {
            "names": len(hosts),
            "matches_plan": hosts
            == frozenset(facts.desired.domains if facts.desired.blocking else ()),
        },
    }


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _clock(text: str | None) -> str:
    moment = _moment(text)
    return "never" if moment is None else f"{moment:%a %d %b %H:%M}"


def _headline(status: dict[str, Any], now: datetime) -> str:
    period = status["period"]
    start, end = datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"])
    if now < start:
        return f"Your no-stalking period starts {_clock(period['start'])}."
    if now >= end or period["day"] is None:
        return "Your no-stalking period is over. Nothing is blocked any more."
    if status.get("stopped"):
        state = "stopped by `blocker stop` (`blocker start` turns it back on)"
    elif status.get("pause", {}).get("state") == "active":
        state = f"paused until {_clock(status['pause']['ends_at'])}"
    elif status["blocking"]:
        state = "blocking"
    else:
        state = "outside your blocking hours"
    ends = _clock(period["end"])
    return f"Day {period['day']} of {period['days']} · {state} · the period ends {ends}."


def status_text(status: dict[str, Any]) -> str:
    """Status for a person, from the same dict `--json` prints (the daemon's or our own)."""
    lines = [
        _headline(status, datetime.fromisoformat(status["now"])),
        f"Next change: {_clock(status['next_change'])}",
    ]
    held = status.get("held")
    if held:
        lines.append(
            f"Held: {held['reason']}; what blocker found in force stays blocked until "
            f"{_clock(held['until'])} ({len(held['domains'])} names, "
            f"{len(held['url_prefixes'])} pages beyond your list)."
        )
    pause = status.get("pause") or {}
    if pause.get("state") == "cooldown":
        lines.append(
            f"Pause: asked for; it starts at {_clock(pause['starts_at'])} after the "
            "cooldown, unless you cancel it with `blocker cancel`."
        )
    for request in pause.get("pending", ()):
        if request["kind"] != "pause":
            lines.append(
                f"Waiting: {request['summary']}: applies at "
                f"{_clock(request['matures_at'])} (`blocker cancel {request['id']}`)."
            )
    hosts = status.get("hosts_section")
    if hosts is not None:
        if hosts["matches_plan"]:
            lines.append(f"Hosts file: as planned ({hosts['names']} names blocked).")
        else:
            lines.append("Hosts file: not as planned yet.")
    if not status.get("daemon"):
        lines.append(
            "Daemon: not running; start it with `sudo blocker daemon` (or "
            "`sudo blocker service install`)."
        )
    return "\n".join(lines)


def list_text(config: Config) -> str:
    lines = ["Profiles and message threads:"]
    lines.extend(f"  {t.label}" for t in config.profiles or ())
    if not config.profiles:
        lines.append("  (none)")
    lines.append("Whole sites:")
    lines.extend(f"  {t.label}" for t in config.sites or ())
    if not config.sites:
        lines.append("  (none)")
    return "\n".join(lines)


def pause_json(state: GateState, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """The `pause` object of the daemon's status: none, cooldown or active, and every
    request waiting for its cooldown."""
    waiting = next((r for r in state.pending if r.kind == "pause"), None)
    pending = [
        {"id": r.id, "kind": r.kind, "summary": r.summary, "matures_at": _local(r.matures_at, zone)}
        for r in state.pending
    ]
    if is_paused(state, now) and state.pause is not None:
        return {
            "state": "active",
            "starts_at": _local(state.pause.started_at, zone),
            "ends_at": _local(state.pause.ends_at, zone),
            "pending": pending,
        }
    if waiting is not None and waiting.length is not None:
        return {
            "state": "cooldown",
            "starts_at": _local(waiting.matures_at, zone),
            "ends_at": _local(waiting.matures_at + waiting.length, zone),
            "pending": pending,
        }
    return {"state": "none", "starts_at": None, "ends_at": None, "pending": pending}
