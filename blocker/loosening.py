"""Is an edit of the block list a tightening (applied at once) or a loosening (it waits out
the cooldown)? Pure comparison of the config in force and the new one."""

from __future__ import annotations

import dataclasses

from blocker.config import Config


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
    return tuple(found)


def tightened(old: Config, new: Config) -> Config:
    """`old` with whatever `new` adds to block: what applies while a loosening waits."""
    known = {t.key for t in old.targets}
    added = tuple(t for t in new.targets if t.key not in known)
    return dataclasses.replace(old, targets=old.targets + added)
