"""The machine is the witness: when blocker's state is lost, what its layers enforce now
still counts as in force. Pure: the shell reads what the layers hold (`Found`), this
decides what must be held beyond the block list, and for how long.

Losing the state loses the record of what was accepted and what waits for its cooldown,
so the block list on disk alone may be looser (an unblock that was only waiting, a period
cut short). Whatever the layers hold beyond it is kept for a fresh cooldown, never
released at once: deleting a file is then no quicker than asking.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from blocker.core.plan import Desired
from blocker.core.policies import chromium_entries, firefox_patterns

# The first line of the list the daemon runs from while the file does not read and its
# state is lost: the hold on what blocker's files block lasts as long (daemon/stepping.py).
STAND_IN = "# blocker: the block list did not read; what blocker's files block is held\n"


@dataclass(frozen=True)
class Found:
    """What blocker's own parts of the machine hold now."""

    domains: frozenset[str] = frozenset()  # our hosts section
    chromium_entries: frozenset[str] = frozenset()  # our Chromium-family policy files
    chromium_others: tuple[str, ...] = ()  # other policy files' URLBlocklist, kept in ours
    firefox_patterns: frozenset[str] = frozenset()  # our WebsiteFilter patterns

    @property
    def anything(self) -> bool:
        """Whether any of blocker's own parts blocks something: not a first start."""
        return bool(self.domains or self.chromium_entries or self.firefox_patterns)


@dataclass(frozen=True)
class Held:
    """Names and pages blocker found in force after losing its state, held until `until`."""

    domains: tuple[str, ...]
    url_prefixes: tuple[str, ...]
    until: datetime
    reason: str  # why the state was lost, for status and the log

    def holds(self, now: datetime) -> bool:
        return now < self.until

    def postponed(self, saved_at: datetime, by: timedelta) -> Held:
        """The hold `by` longer, if it was still on at `saved_at`: like a waiting
        request's cooldown, it is served only by time blocker saw pass (gate.postponed).
        A hold already over stays over."""
        if by <= timedelta(0) or not self.holds(saved_at):
            return self
        return dataclasses.replace(self, until=self.until + by)


def _prefix_of_pattern(pattern: str) -> str | None:
    """The page prefix a WebsiteFilter pattern of ours was made from (`*://*.h/p*` → `h/p`)."""
    if not (pattern.startswith("*://*.") and pattern.endswith("*")):
        return None
    return pattern[len("*://*.") : -1] or None


def held_after_loss(
    found: Found, desired: Desired, now: datetime, cooldown: timedelta, reason: str
) -> Held | None:
    """What the layers hold beyond `desired` (the block list's plan now), held for
    `cooldown` from `now`; None when the block list covers all of it."""
    planned_domains = set(desired.domains)
    domains = sorted(found.domains - planned_domains)
    planned_entries = set(chromium_entries(desired.url_prefixes, found.chromium_others).entries)
    prefixes = set(found.chromium_entries - planned_entries - set(found.chromium_others))
    extra_patterns = found.firefox_patterns - set(firefox_patterns(desired.url_prefixes))
    prefixes.update(p for p in map(_prefix_of_pattern, extra_patterns) if p)
    if not domains and not prefixes:
        return None
    return Held(tuple(domains), tuple(sorted(prefixes)), now + cooldown, reason)


def widened(
    domains: tuple[str, ...], prefixes: tuple[str, ...], held: Held | None, now: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The plan's names and pages with what is held added (nothing once the hold is over)."""
    if held is None or not held.holds(now):
        return domains, prefixes
    return (
        tuple(dict.fromkeys((*domains, *held.domains))),
        tuple(dict.fromkeys((*prefixes, *held.url_prefixes))),
    )
