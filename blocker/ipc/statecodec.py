"""The state file's schema: the daemon's state as JSON and back, its versions, and the
seal that tells a file blocker wrote from one edited by hand. Pure: no I/O.

Version 2 (this one) wraps the state in `{"version": 2, "state": ..., "seal": ...}`; the
seal is a keyed BLAKE2b of the state's canonical JSON under a key only root can read, so
moving a waiting request's `matures_at` into the past, or setting `stopped`, makes the
file count as damaged rather than believed. Version 1 (no seal; a line of pause history
per event) is migrated, and counts as unsealed: what the machine enforces then witnesses
what was in force (see witness.py). Fields added since (`held`, `strict_rules`, `declined`,
`zone`, `fresh`) read with a default that loosens nothing where a file lacks them."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, TypedDict

from blocker.core.clock import Checkpoint
from blocker.core.fresh import FreshEntry
from blocker.core.gate import DayCount, GateState, Pause, Request
from blocker.core.witness import Held
from blocker.core.zonechange import ZoneChange, ZoneRecord

try:
    # BLAKE2 is built into CPython, while `hashlib` loads OpenSSL on import: 3.5 MB more
    # for a daemon that stays resident for weeks.
    from _blake2 import blake2b
except ImportError:  # an interpreter without the built-in module
    from hashlib import blake2b

VERSION = 2


class StateDamaged(ValueError):
    """The file is not a state blocker wrote: unreadable, of an unknown version, or edited."""


@dataclass(frozen=True)
class State:
    checkpoint: Checkpoint
    in_force: str  # the block list text being enforced
    gate: GateState = field(default_factory=GateState)
    stopped: bool = False
    held: Held | None = None  # what the machine witnessed after the state was lost
    # After a loss the rules that were in force are unknown: loosening goes by the
    # block list's rules or blocker's defaults, whichever is stricter, from then on.
    strict_rules: bool = False
    # A cancelled edit's text when the file could not be written back (made immutable,
    # say): the file still says it, and it must not be asked for again.
    declined: str | None = None
    # The computer's time zone the block goes by, as the record of its clocks (None: not
    # known yet), and the one before a change, counting until the cooldown is over.
    zone: ZoneRecord | None = None
    zone_change: ZoneChange | None = None
    # Entries added a few minutes ago, which a removal takes off at once (core/fresh.py).
    # Absent in a file written before them: nothing is fresh, which only makes an undo wait.
    fresh: tuple[FreshEntry, ...] = ()


class StateChange(TypedDict, total=False):
    """What one save may change: State's fields by name and type, so mypy checks each."""

    checkpoint: Checkpoint
    in_force: str
    gate: GateState
    stopped: bool
    held: Held | None
    strict_rules: bool
    declined: str | None
    zone: ZoneRecord | None
    zone_change: ZoneChange | None
    fresh: tuple[FreshEntry, ...]


@dataclass(frozen=True)
class Decoded:
    state: State
    sealed: bool  # False for a migrated version 1 file, which nothing vouches for


def _time(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return moment


def _request_json(request: Request) -> dict[str, Any]:
    return {
        "id": request.id,
        "kind": request.kind,
        "summary": request.summary,
        "asked_at": request.asked_at.isoformat(),
        "matures_at": request.matures_at.isoformat(),
        "length": None if request.length is None else request.length.total_seconds(),
        "payload": request.payload,
    }


def _request(data: dict[str, Any]) -> Request:
    length = data.get("length")
    return Request(
        id=str(data["id"]),
        kind=str(data["kind"]),
        summary=str(data["summary"]),
        asked_at=_time(data["asked_at"]),
        matures_at=_time(data["matures_at"]),
        length=None if length is None else timedelta(seconds=float(length)),
        payload=None if data.get("payload") is None else str(data["payload"]),
    )


def _held_json(held: Held | None) -> dict[str, Any] | None:
    if held is None:
        return None
    return {
        "domains": list(held.domains),
        "url_prefixes": list(held.url_prefixes),
        "until": held.until.isoformat(),
        "reason": held.reason,
    }


def _held(data: dict[str, Any] | None) -> Held | None:
    if data is None:
        return None
    return Held(
        tuple(str(d) for d in data["domains"]),
        tuple(str(p) for p in data["url_prefixes"]),
        _time(data["until"]),
        str(data["reason"]),
    )


def _fresh_json(entry: FreshEntry) -> dict[str, Any]:
    kind, platform, handle, names, pages, titles = entry.key
    return {
        "key": [kind, platform, handle, list(names), list(pages), list(titles)],
        "label": entry.label,
        "added_at": entry.added_at.isoformat(),
        "until": entry.until.isoformat(),
    }


def _fresh(data: dict[str, Any]) -> FreshEntry:
    kind, platform, handle, names, pages, titles = data["key"]
    return FreshEntry(
        (
            str(kind),
            str(platform),
            str(handle),
            tuple(str(n) for n in names),
            tuple(str(p) for p in pages),
            tuple(str(t) for t in titles),
        ),
        str(data["label"]),
        _time(data["added_at"]),
        _time(data["until"]),
    )


def body(state: State) -> dict[str, Any]:
    """The state as the JSON object the seal covers."""
    gate = state.gate
    pause = gate.pause
    return {
        "checkpoint": state.checkpoint.to_json(),
        "gate": {
            "pending": [_request_json(r) for r in gate.pending],
            "pause": None
            if pause is None
            else {"started_at": pause.started_at.isoformat(), "ends_at": pause.ends_at.isoformat()},
            "history": [
                {
                    "day": d.day.isoformat(),
                    "asked": d.asked,
                    "cancelled": d.cancelled,
                    "started": d.started,
                }
                for d in gate.history
            ],
            "next_id": gate.next_id,
        },
        "in_force": state.in_force,
        "stopped": state.stopped,
        "held": _held_json(state.held),
        "strict_rules": state.strict_rules,
        "declined": state.declined,
        "zone": _zone_json(state.zone),
        "zone_change": None
        if state.zone_change is None
        else {
            "before": _zone_json(state.zone_change.before),
            "until": state.zone_change.until.isoformat(),
        },
        "fresh": [_fresh_json(f) for f in state.fresh],
    }


def _from_body(data: dict[str, Any]) -> State:
    gate = data["gate"]
    pause = gate.get("pause")
    return State(
        checkpoint=Checkpoint.from_json(data["checkpoint"]),
        gate=GateState(
            pending=tuple(_request(r) for r in gate["pending"]),
            pause=None
            if pause is None
            else Pause(_time(pause["started_at"]), _time(pause["ends_at"])),
            history=tuple(
                DayCount(
                    date.fromisoformat(str(d["day"])),
                    int(d["asked"]),
                    int(d["cancelled"]),
                    int(d["started"]),
                )
                for d in gate["history"]
            ),
            next_id=int(gate["next_id"]),
        ),
        in_force=str(data["in_force"]),
        stopped=bool(data.get("stopped", False)),
        held=_held(data.get("held")),
        strict_rules=bool(data.get("strict_rules", False)),
        declined=None if data.get("declined") is None else str(data["declined"]),
        zone=_zone(data.get("zone")),
        zone_change=_zone_change(data.get("zone_change")),
        fresh=tuple(_fresh(f) for f in data.get("fresh", ())),
    )


def _zone_json(record: ZoneRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"name": record.name, "year": record.year, "changes": [list(c) for c in record.changes]}


def _zone(data: Any) -> ZoneRecord | None:
    if not isinstance(data, dict):  # absent, or an IANA name as this version's first cut kept
        return None
    changes = tuple((int(day), int(offset)) for day, offset in data["changes"])
    return ZoneRecord(str(data["name"]), int(data["year"]), changes)


def _zone_change(data: dict[str, Any] | None) -> ZoneChange | None:
    before = None if data is None else _zone(data.get("before"))
    return None if data is None or before is None else ZoneChange(before, _time(data["until"]))


def seal(data: dict[str, Any], key: bytes, place: str) -> str:
    """A MAC of `data` under `key` (BLAKE2b's own keyed mode, made for this), bound to
    `place` (which file on which machine), so a state made elsewhere, in a throwaway
    sandbox say, is not believed here even with its key copied along."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return blake2b(place.encode("utf-8") + b"\0" + canonical, key=key, digest_size=32).hexdigest()


def encode(state: State, key: bytes, place: str) -> dict[str, Any]:
    data = body(state)
    return {"version": VERSION, "state": data, "seal": seal(data, key, place)}


def _migrate_v1(data: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    """A version 1 state as a version 2 body: its pause history (one mark per event) as
    counts per day, nothing held."""
    counts: Counter[tuple[str, str]] = Counter(
        (_time(m["at"]).astimezone(zone).date().isoformat(), str(m["what"]))
        for m in data["gate"]["history"]
    )
    days = sorted({day for day, _ in counts})
    history = [
        {"day": day, **{what: counts[(day, what)] for what in ("asked", "cancelled", "started")}}
        for day in days
    ]
    return {**data, "gate": {**data["gate"], "history": history}, "held": None}


def decode(data: Any, key: bytes | None, place: str, zone: tzinfo) -> Decoded:
    """The state in `data` (parsed JSON); StateDamaged when it cannot be believed."""
    if not isinstance(data, dict):
        raise StateDamaged("it is not a JSON object")
    version = data.get("version")
    try:
        if version == 1:
            return Decoded(_from_body(_migrate_v1(data, zone)), sealed=False)
        if version != VERSION:
            raise StateDamaged(f"it has an unknown version {str(version)[:20]!r}")
        inner = data.get("state")
        if key is None:
            raise StateDamaged("its key is missing, so nothing vouches for it")
        # A plain comparison: whoever could time it is root, who can read the key.
        if not isinstance(inner, dict) or str(data.get("seal", "")) != seal(inner, key, place):
            raise StateDamaged("it was changed by something other than blocker")
        return Decoded(_from_body(inner), sealed=True)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, StateDamaged):
            raise
        raise StateDamaged(f"it does not hold what blocker writes ({error!r:.80})") from None
