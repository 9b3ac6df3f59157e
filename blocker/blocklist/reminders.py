"""Reminders that answer an urge: the person's own reasons first, then the shipped ones
(`config/reminders.yaml`), rotated so that none of the last few repeats. Pure: the choice
is a function of the lists, what was shown recently and a number the caller supplies."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from blocker.blocklist import yamlsource
from blocker.blocklist.fields import words
from blocker.errors import ConfigError
from blocker.system.resources import data_file

STEPS = ("no_contact", "distance", "no_checking", "no_broadcasting", "yourself")
NOT_AGAIN_WITHIN = 6  # a reminder is not shown again until this many others were


@dataclass(frozen=True)
class Reminders:
    by_step: dict[str, tuple[str, ...]]

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(text for step in STEPS for text in self.by_step.get(step, ()))


def parse_reminders(text: str, file: str) -> Reminders:
    root = yamlsource.parse(text, file)
    if not isinstance(root, yamlsource.Mapping):
        raise ConfigError(f"{file}: expected the five steps, each with a list of reminders")
    found = {}
    for step, (where, node) in root.entries.items():
        if step not in STEPS:
            raise ConfigError(f"unknown step {step!r}; known: {', '.join(STEPS)}", where)
        found[step] = words(node, "a reminder")
    return Reminders(found)


@functools.cache
def shipped_reminders() -> Reminders:
    path = data_file("reminders.yaml")
    return parse_reminders(yamlsource.read_file(path), str(path))


def pick(
    reasons: Sequence[str],
    reminders: Reminders,
    recent: Sequence[str],
    number: int,
    step: str | None = None,
) -> str:
    """The next reminder. A reason of the person's own comes first whenever one is not
    among the recent ones; otherwise one from `step` (or any step), never one shown in the
    last NOT_AGAIN_WITHIN. `number` is any integer (a counter or a random draw)."""
    recent_set = set(recent[-NOT_AGAIN_WITHIN:])
    fresh_reasons = [r for r in reasons if r not in recent_set]
    if fresh_reasons:
        return fresh_reasons[number % len(fresh_reasons)]
    pool = reminders.by_step.get(step, ()) if step else reminders.all
    candidates = (
        [r for r in pool if r not in recent_set]
        or [r for r in reminders.all if r not in recent_set]
        or list(pool or reminders.all)
    )
    return candidates[number % len(candidates)]
