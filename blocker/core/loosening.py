"""Is an edit of the block list a tightening (applied at once) or a loosening (it waits out
the cooldown)? Pure comparison of the config in force and the new one."""

from __future__ import annotations

import dataclasses

from blocker.core.config import Config, PauseRules
from blocker.core.schedule import Period


def loosenings(old: Config, new: Config) -> tuple[str, ...]:
    """What `new` loosens compared with `old`, in words; empty when it only tightens."""
    found: list[str] = []
    kept = {t.key for t in new.targets}
    found.extend(f"unblock {t.label}" for t in old.targets if t.key not in kept)
    if new.period.start > old.period.start:
        found.append("start the period later")
    if new.period.end < old.period.end:
        found.append("end the period earlier")
    if new.period.windows != old.period.windows and new.period.windows:
        found.append("change the blocking hours")
    if new.pause.cooldown < old.pause.cooldown:
        found.append("shorten the cooldown")
    if new.pause.max_length > old.pause.max_length:
        found.append("allow longer pauses")
    if new.pause.per_day > old.pause.per_day:
        found.append("allow more pauses a day")
    if old.backdoors and not new.backdoors:
        found.append("stop blocking viewer and mirror sites")
    if old.strict and not new.strict:
        found.append("stop closing browsers opened on blocked pages")
    if old.firefox_unsigned_addons and not new.firefox_unsigned_addons:
        found.append("take blocker's extension out of Firefox")
    return tuple(found)


def tightened(old: Config, new: Config) -> Config:
    """`old` with everything `new` makes stricter, what applies while a loosening in
    `new` waits: the entries it adds, an earlier start, a later end, longer hours (all
    day if either is all day; the hours of both otherwise), stricter pause rules, and
    strict mode, the back doors or blocker's extension in Firefox switched on."""
    known = {t.key for t in old.targets}
    added = tuple(t for t in new.targets if t.key not in known)
    hours = old.period.windows, new.period.windows
    windows = () if not all(hours) else tuple(dict.fromkeys(hours[0] + hours[1]))
    period = Period(
        min(old.period.start, new.period.start), max(old.period.end, new.period.end), windows
    )
    pause = PauseRules(
        cooldown=max(old.pause.cooldown, new.pause.cooldown),
        max_length=min(old.pause.max_length, new.pause.max_length),
        per_day=min(old.pause.per_day, new.pause.per_day),
    )
    return dataclasses.replace(
        old,
        targets=old.targets + added,
        period=period,
        pause=pause,
        strict=old.strict or new.strict,
        backdoors=old.backdoors or new.backdoors,
        firefox_unsigned_addons=old.firefox_unsigned_addons or new.firefox_unsigned_addons,
    )
