"""Durations as people write them in the block list: `15m`, `1h30m`, `30d`, `90s`."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*(d|h|m|s)")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[dhms]\s*)+$")
_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> timedelta:
    """Parse `1h30m` and friends; raise ValueError with a hint on anything else."""
    lowered = text.strip().lower()
    if not _WHOLE.match(lowered):
        raise ValueError(f"expected a duration such as 15m, 1h30m or 30d, found {text!r}")
    seconds = sum(int(n) * _SECONDS[unit] for n, unit in _PART.findall(lowered))
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
