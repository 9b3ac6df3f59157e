"""Durations as people write them in the block list (`15m`, `1h30m`, `30d`, `90s`), and a
pause's length as they type it (`10 minutes`, `1 hour`, `90`)."""

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
    return _added(_PART.findall(lowered), text)


def _added(parts: list[tuple[str, str]], text: str) -> timedelta:
    # At most MAX_TEXT characters: int() and the sum stay small, whatever the digits.
    seconds = sum(int(number) * _SECONDS[unit] for number, unit in parts)
    if seconds > MAX_DURATION.total_seconds():
        raise DurationTooLong(
            f"a duration is at most {format_duration(MAX_DURATION)} (about ten years), "
            f"found {_shown(text)}"
        )
    return timedelta(seconds=seconds)


# A pause's length is typed in a weak moment, not written in a file: besides the block
# list's forms it takes the words people use for each unit, and a bare number of minutes.
_SPOKEN_UNITS = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
}
_SPOKEN_PART = re.compile(r"([0-9]+)\s*([a-z]+)")
_SPOKEN_WHOLE = re.compile(r"^(?:[0-9]+\s*[a-z]+\s*)+$")
_JOINERS = re.compile(r",|\band\b")  # `1 hour, 30 minutes`, `1 hour and 30 minutes`
PAUSE_FORMS = "10m, 10 minutes, 1 hour, 1h30m or 90 (minutes)"


def parse_pause_length(text: str) -> timedelta:
    """A pause's length as people type it: the block list's forms (`10m`, `1h30m`), words
    (`10 minutes`, `1 hour 30 min`, `5min`) and a bare number of minutes (`90`). Wider than
    parse_duration, which keeps the block list to the forms the README documents. Raises
    ValueError naming the forms that work, DurationTooLong past MAX_DURATION."""
    lowered = text.strip().lower()
    if len(lowered) > MAX_TEXT:
        raise ValueError(f"write a pause's length like {PAUSE_FORMS}, found {_shown(text)}")
    if lowered.isascii() and lowered.isdigit():
        return _added([(lowered, "m")], text)
    spoken = " ".join(_JOINERS.sub(" ", lowered).split())
    parts = _SPOKEN_PART.findall(spoken)
    if not _SPOKEN_WHOLE.match(spoken) or any(unit not in _SPOKEN_UNITS for _, unit in parts):
        raise ValueError(f"write a pause's length like {PAUSE_FORMS}, found {_shown(text)}")
    return _added([(number, _SPOKEN_UNITS[unit]) for number, unit in parts], text)


def format_duration(value: timedelta) -> str:
    """The inverse of parse_duration, shortest form first (`1h30m`, `0s`)."""
    remaining = int(value.total_seconds())
    parts = []
    for unit, size in _SECONDS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
