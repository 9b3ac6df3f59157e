"""What the CLI prints: one function per report, each giving text for a person or a dict
for `--json`. Pure: the facts come in, strings and dicts go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from blocker.config import Config
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
    lines.append(f"Whole sites, in the hosts file ({len(desired.domains)} names):")
    lines.extend(f"  {name}" for name in desired.domains or ("(none)",))
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
        "period": {
            "start": _local(start, facts.zone),
            "end": _local(end, facts.zone),
            "day": day[0] if day else None,
            "days": day[1] if day else None,
        },
        "targets": len(facts.config.targets),
        "hosts_section": None
        if hosts is None
        else {
            "names": len(hosts),
            "matches_plan": hosts == frozenset(facts.desired.domains),
        },
    }


def status_text(facts: Facts) -> str:
    day = day_of_period(facts)
    start, end = period_bounds(facts.config.period, facts.zone)
    if facts.now < start:
        headline = f"Your no-stalking period starts {_when(start, facts)}."
    elif facts.now >= end or day is None:
        headline = "Your no-stalking period is over. Nothing is blocked any more."
    else:
        state = "blocking" if facts.desired.blocking else "outside your blocking hours"
        headline = f"Day {day[0]} of {day[1]} · {state} · the period ends {_when(end, facts)}."
    lines = [headline, f"Next change: {_when(facts.desired.next_change, facts)}"]
    hosts = facts.hosts_blocked
    if hosts is not None:
        wanted = frozenset(facts.desired.domains)
        if hosts == wanted:
            lines.append(f"Hosts file: as planned ({len(hosts)} names blocked).")
        else:
            lines.append("Hosts file: not as planned yet; is `blocker run` running (as root)?")
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
