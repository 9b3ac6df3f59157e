"""What the CLI prints: one function per report, each giving text for a person or a dict
for `--json`. Pure: what holds now (truth.Truth) comes in, strings and dicts go out; the
text is made from the same dict `--json` prints, so the two never disagree."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from blocker.core import truthtext as words
from blocker.core.gate import GateState, is_paused
from blocker.core.targets import Target
from blocker.core.truth import Entry, Truth


def local_iso(moment: datetime | None, zone: tzinfo) -> str | None:
    """An instant as the person's clock shows it, to the second, as every answer gives it."""
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def target_dict(target: Target) -> dict[str, Any]:
    return {
        "label": target.label,
        "kind": target.kind,
        "platform": target.platform,
        "handle": target.handle,
        "hosts_domains": list(target.hosts_domains),
        "url_prefixes": list(target.url_prefixes),
    }


def plan_json(truth: Truth) -> dict[str, Any]:
    """What is enforced now (nothing during a pause or a stop), and the answer it is part of."""
    enforced = truth.enforced
    return {
        "blocking": truth.enforcing,
        "domains": list(enforced.domains),
        "url_prefixes": list(enforced.url_prefixes),
        "title_patterns": list(enforced.title_patterns),
        "backdoor_domains": list(enforced.backdoor_domains),
        "next_change": truth.local(truth.next.at if truth.next else None),
        "period": {"start": truth.local(truth.period_start), "end": truth.local(truth.period_end)},
        "truth": truth.to_json(),
    }


def plan_text(plan: dict[str, Any]) -> str:
    truth = plan["truth"]
    lines = [
        f"Blocking now: {'yes' if plan['blocking'] else 'no'}; {words.mode_phrase(truth)}",
        f"Next change:  {words.next_phrase(truth)}",
    ]
    if plan["blocking"]:
        backdoors = set(plan["backdoor_domains"])
        sites = [d for d in plan["domains"] if d not in backdoors]
        lines.append(f"Whole sites, in the hosts file ({len(sites)} names):")
        lines.extend(f"  {name}" for name in sites or ("(none)",))
        if backdoors:
            lines.append(
                f"Back doors: sites that show those profiles without logging in "
                f"({len(backdoors)} names):"
            )
            lines.extend(f"  {name}" for name in plan["backdoor_domains"])
        prefixes = plan["url_prefixes"]
        lines.append(f"Single pages, in the browsers' policies ({len(prefixes)}):")
        lines.extend(f"  {prefix}" for prefix in prefixes or ("(none)",))
    else:
        lines.append("Nothing is blocked now.")
    return "\n".join(lines + words.waiting_lines(truth))


def status_json(truth: Truth) -> dict[str, Any]:
    """The status keys the tray and scripts read, beside the whole answer under "truth"."""
    whole = truth.to_json()
    hosts = whole["hosts"]
    return {
        "blocking": truth.enforcing,
        "period_blocking": truth.period_blocking,
        "next_change": truth.local(truth.next.at if truth.next else None),
        "now": whole["at"],
        "period": whole["period"],
        "targets": len(truth.entries),
        "reasons": list(truth.reasons),
        "held": whole["held"],
        "rejected": whole["rejected"],
        # Compared with what is enforced now: during a pause or a stop, no section at all.
        "hosts_section": None
        if hosts is None
        else {"names": hosts["names"], "matches_plan": hosts["as_enforced"]},
        "truth": whole,
    }


def list_json(truth: Truth) -> dict[str, Any]:
    """The entries in force, each marked with the waiting edit that takes it off, if any."""

    def entry(item: Entry) -> dict[str, Any]:
        shown = truth.entry_json(item)  # its label tells apart two forms of one profile
        return {**target_dict(item.target), **shown}

    return {
        "profiles": [entry(e) for e in truth.entries if e.target.kind != "site"],
        "sites": [entry(e) for e in truth.entries if e.target.kind == "site"],
        "truth": truth.to_json(),
    }


def list_text(listing: dict[str, Any]) -> str:
    now = listing["truth"]["at"]

    def line(entry: dict[str, Any]) -> str:
        off = entry["comes_off"]
        return f"  {entry['label']}" + (f" · {words.comes_off_phrase(off, now)}" if off else "")

    lines = ["Profiles and message threads:"]
    lines.extend(line(e) for e in listing["profiles"] or ())
    if not listing["profiles"]:
        lines.append("  (none)")
    lines.append("Whole sites:")
    lines.extend(line(e) for e in listing["sites"] or ())
    if not listing["sites"]:
        lines.append("  (none)")
    if not listing["profiles"] and not listing["sites"]:
        lines.append(words.NOTHING_LISTED)
    rejected = words.rejected_phrase(listing["truth"])
    if rejected:
        lines.append(f"Not taken in: {rejected}")
    return "\n".join(lines)


def pause_json(state: GateState, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """The `pause` object of the daemon's status: none, cooldown or active, and every
    request waiting for its cooldown."""
    waiting = next((r for r in state.pending if r.kind == "pause"), None)
    pending = [
        {
            "id": r.id,
            "kind": r.kind,
            "summary": r.summary,
            "matures_at": local_iso(r.matures_at, zone),
        }
        for r in state.pending
    ]
    if is_paused(state, now) and state.pause is not None:
        return {
            "state": "active",
            "starts_at": local_iso(state.pause.started_at, zone),
            "ends_at": local_iso(state.pause.ends_at, zone),
            "pending": pending,
        }
    if waiting is not None and waiting.length is not None:
        return {
            "state": "cooldown",
            "starts_at": local_iso(waiting.matures_at, zone),
            "ends_at": local_iso(waiting.matures_at + waiting.length, zone),
            "pending": pending,
        }
    return {"state": "none", "starts_at": None, "ends_at": None, "pending": pending}
