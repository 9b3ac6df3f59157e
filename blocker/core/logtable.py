"""The urge log as a table a spreadsheet reads (`blocker stats --export`): one plain column
per thing the log holds, rather than the daemon's JSON. Pure."""

from __future__ import annotations

from datetime import tzinfo

from blocker.core.stats import Entry

LOG_ROWS = 10_000  # the most rows one export carries; a log is rows, not screenshots

# The details the daemon's events carry, one column each (blocker/daemon/urgelog.py logs
# them): how an urge was seen (`layer`: a window title, blocker's extension, a browser
# started on a page, a site's name asked for, a browser started with its extensions
# off), what was seen, and why an edit was not taken in. The sentence the daemon wrote
# comes last. `target` is the browser, the request or the file an entry is about.
DETAILS = ("layer", "title", "url", "platform", "site", "error")
COLUMNS = ("at", "kind", "target", *DETAILS, "message")

# A spreadsheet takes a cell that starts so for a formula, and a window title or a page's
# address is written by whoever made the page: such a cell is kept as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def rows(entries: list[Entry], zone: tzinfo) -> list[list[str]]:
    """One row per entry, in COLUMNS' order. `at` is the local time in `zone`, to the
    second, as spreadsheets read a date and time (`2026-11-27 21:03:00`)."""
    return [
        [
            entry.at.astimezone(zone).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds"),
            _cell(entry.kind),
            _cell(entry.target),
            *(_cell(entry.detail.get(name)) for name in DETAILS),
            _cell(entry.detail.get("message")),
        ]
        for entry in entries
    ]
