"""Durations as people write them in the block list: `15m`, `1h30m`, `30d`, `90s`."""

from __future__ import annotations

import re
from datetime import timedelta

# [0-9], not \d: \d also matches other scripts' digits, which a person never means here.
_PART = re.compile(r"([0-9]+)\s*(d|h|m|s)")
_WHOLE = re.compile(r"^\s*(?:[0-9]+\s*[dhms]\s*)+$")
_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}

# Bounds far past anything a person means, so that no text (a setting, a pause asked over
# the control socket) reaches timedelta's overflow or int()'s digit limit. The longest
# duration anyone writes is a period's, and `3660d23h59m59s` is fourteen characters.
MAX_DURATION = timedelta(days=3660)
MAX_TEXT = 40


class DurationTooLong(ValueError):
    """Past MAX_DURATION: a caller with a tighter limit of its own names that one instead."""


def _shown(text: str) -> str:
    return repr(text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…")


def parse_duration(text: str) -> timedelta:
    """Parse `1h30m` and friends; raise ValueError with a hint on anything else, and on
    anything longer than MAX_DURATION (about ten years)."""
    lowered = text.strip().lower()
    if len(lowered) > MAX_TEXT or not _WHOLE.match(lowered):
        raise ValueError(f"expected a duration such as 15m, 1h30m or 30d, found {_shown(text)}")
    # At most MAX_TEXT characters: int() and the sum stay small, whatever the digits.
    seconds = sum(int(number) * _SECONDS[unit] for number, unit in _PART.findall(lowered))
    if seconds > MAX_DURATION.total_seconds():
        raise DurationTooLong(
            f"a duration is at most {format_duration(MAX_DURATION)} (about ten years), "
            f"found {_shown(text)}"
        )
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """The inverse of parse_duration, shortest form first (`1h30m`, `0s`)."""
    remaining = int(value.total_seconds())
    parts = []
    for unit, size in _SECONDS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
