"""Is an edit of the block list a tightening (applied at once) or a loosening (it waits out
the cooldown)? Pure comparison of the config in force and the new one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from blocker.core.config import Config, PauseRules
from blocker.core.plan import everything
from blocker.core.schedule import Period, Window
from blocker.core.targets import Target


@dataclass(frozen=True)
class Enforced:
    """What a list has each layer enforce while its block is on: the names the hosts
    file sinks (the back doors included), the pages the browsers refuse, the title text
    the title watcher looks for."""

    names: frozenset[str]
    pages: frozenset[str]
    titles: frozenset[str]

    @classmethod
    def by(cls, config: Config) -> Enforced:
        desired = everything(config)
        return cls(
            frozenset(desired.domains),
            frozenset(desired.url_prefixes),
            frozenset(desired.title_patterns),
        )


def unblocked(target: Target, kept: Enforced) -> tuple[str, ...]:
    """What `target` blocks that no layer enforces any longer under `kept`. Compared by
    what is enforced, not by the entry: `facebook: N` in place of
    `facebook.com/profile.php?id=N` is the same person but stops blocking that page."""
    return (
        *(name for name in target.hosts_domains if name not in kept.names),
        *(page for page in target.url_prefixes if page not in kept.pages),
        *(title for title in target.title_patterns if title not in kept.titles),
    )


def _shown(target: Target, lost: tuple[str, ...]) -> str:
    """The pages and names that come off, each page once on its first domain (the
    platform's own; its alias domains lose the same page)."""
    shown: dict[tuple[str, str], str] = {}
    for item in lost:
        if item in target.url_prefixes:
            shown.setdefault(("page", item.partition("/")[2]), item)
        elif item in target.title_patterns:
            shown[("title", item)] = f"windows titled {item!r}"
        else:
            shown[("name", item)] = item
    return ", ".join(shown.values())


def _unblocks(old: Config, new: Config) -> list[str]:
    """Each entry in force that stops being blocked, wholly or a page or name of it."""
    kept = Enforced.by(new)
    labels = {t.label for t in new.targets}
    found: list[str] = []
    for target in old.targets:
        lost = unblocked(target, kept)
        if not lost:
            continue
        whole = len(lost) == len(target.hosts_domains + target.url_prefixes + target.title_patterns)
        if whole and target.label not in labels:
            found.append(f"unblock {target.label}")
        else:  # the list still names it, so say which of its pages or names come off
            found.append(f"unblock {_shown(target, lost)} of {target.label}")
    return list(dict.fromkeys(found))


def _minutes(windows: tuple[Window, ...]) -> frozenset[int]:
    """The minutes of the week (Monday 00:00 = 0) the windows block, a window that runs
    past midnight going on into the next day (past Sunday, into Monday)."""
    week = 7 * 1440
    covered: set[int] = set()
    for window in windows:
        begins = window.start.hour * 60 + window.start.minute
        ends = window.end.hour * 60 + window.end.minute
        length = ends - begins if ends > begins else ends + 1440 - begins
        for day in window.weekdays:
            first = day * 1440 + begins
            covered.update((first + minute) % week for minute in range(length))
    return frozenset(covered)


def _fewer_hours(old: tuple[Window, ...], new: tuple[Window, ...]) -> bool:
    """Whether `new` hours leave a minute unblocked that `old` blocks (no windows: all
    day). Widening the hours or adding a window tightens; anything else loosens."""
    if not new or old == new:
        return False
    return not old or not _minutes(old) <= _minutes(new)


def loosenings(old: Config, new: Config) -> tuple[str, ...]:
    """What `new` loosens compared with `old`, in words; empty when it only tightens.
    Any name, page or title text that a layer enforces under `old` and not under `new`
    is a loosening, whichever entries block it."""
    found = _unblocks(old, new)
    if new.period.start > old.period.start:
        found.append("start the period later")
    if new.period.end < old.period.end:
        found.append("end the period earlier")
    if _fewer_hours(old.period.windows, new.period.windows):
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
