"""The urge log as a spreadsheet reads it: plain columns, local times, text kept text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from blocker.core.logtable import COLUMNS, rows
from blocker.core.stats import Entry

BERLIN = ZoneInfo("Europe/Berlin")


def test_each_detail_has_a_column_of_its_own_and_the_time_is_local() -> None:
    urge = Entry(
        datetime(2026, 11, 27, 20, 3, tzinfo=UTC),
        "urge",
        "Chromium",
        {"message": "a blocked profile is open", "title": "Alex (@alex)", "layer": "title"},
    )
    rejected = Entry(
        datetime(2026, 7, 1, 9, 0, 5, tzinfo=UTC),
        "rejected",
        "",
        {"message": "not taken in", "error": "blocklist.yaml:3:1: expected a date"},
    )
    table = [dict(zip(COLUMNS, row, strict=True)) for row in rows([urge, rejected], BERLIN)]
    assert table[0] == {
        "at": "2026-11-27 21:03:00",
        "kind": "urge",
        "target": "Chromium",
        "layer": "title",
        "title": "Alex (@alex)",
        "url": "",
        "platform": "",
        "site": "",
        "error": "",
        "message": "a blocked profile is open",
    }
    assert table[1]["at"] == "2026-07-01 11:00:05"  # summer time
    assert table[1]["error"] == "blocklist.yaml:3:1: expected a date"


def test_a_page_title_that_looks_like_a_formula_stays_text() -> None:
    entry = Entry(datetime(2026, 11, 27, tzinfo=UTC), "urge", "Firefox", {"title": "=1+1"})
    (row,) = rows([entry], UTC)
    assert row[COLUMNS.index("title")] == "'=1+1"


def test_an_entry_crosses_the_socket_and_comes_back_the_same() -> None:
    entry = Entry(
        datetime(2026, 11, 27, 21, 3, tzinfo=BERLIN), "asked", "r1", {"kind": "pause", "n": 1}
    )
    assert Entry.from_json(entry.to_json()) == entry
