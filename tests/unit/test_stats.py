"""The story a fixture month of the urge log tells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from blocker.core.schedule import Period
from blocker.core.stats import (
    Entry,
    days_shown,
    longest_streak,
    period_summary,
    sparkline,
    summary,
    text,
    worth_showing,
)

START = datetime(2026, 11, 1, tzinfo=UTC)
END = START + timedelta(days=30)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def entry(day: int, hour: int, kind: str) -> Entry:
    return Entry(START + timedelta(days=day - 1, hours=hour), kind, "Chromium", {})


def test_a_month_of_urges_and_pauses_is_told_truthfully() -> None:
    entries = (
        [entry(d, 22, "urge") for d in range(1, 20)]
        + [entry(3, 23, "urge")]
        + [
            entry(5, 21, "asked"),
            entry(5, 21, "cancelled"),
            entry(9, 22, "asked"),
            entry(9, 22, "used"),
        ]
    )
    stats = summary(entries, START, END, NOW, zone=UTC)
    assert (stats["day"], stats["days"]) == (20, 30)
    assert stats["urges"] == 20
    assert stats["pauses"] == {"asked": 2, "cancelled": 1, "used": 1}
    assert stats["longest_streak"] == 11  # days 10 to 20, after the pause on day 9
    assert stats["urge_hours"][22] == 19
    assert list(stats["urges_per_day"].values())[-1] == 0  # nothing yet today
    assert "Urges come most around 22:00, 23:00" in text(stats)


def test_a_single_urge_is_no_pattern_of_hours_to_plan_around() -> None:
    few = summary([entry(3, 14, "urge")], START, END, NOW, zone=UTC)
    assert "Urges come most" not in text(few)


def test_sparklines_scale_to_the_busiest_day() -> None:
    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"
    assert sparkline([0, 0]) == "▁▁"


def test_a_streak_restarts_after_each_day_with_a_pause() -> None:
    first = START.date()
    assert longest_streak(first, first + timedelta(days=9), {first + timedelta(days=3)}) == 6


def test_the_progress_picture_is_drawn_from_a_fixture_month(tmp_path: object) -> None:
    from pathlib import Path

    from PIL import Image

    from blocker.desktop.chart import HEIGHT, WIDTH, draw

    entries = [entry(d, 22, "urge") for d in range(1, 20) for _ in range(d % 4)]
    entries += [entry(9, 22, "used")]
    picture = draw(summary(entries, START, END, NOW, zone=UTC))
    path = Path(str(tmp_path)) / "progress.png"
    picture.save(path)
    with Image.open(path) as saved:
        assert saved.size == (WIDTH, HEIGHT)
        colours = {saved.getpixel((x, y)) for x in range(0, WIDTH, 3) for y in range(0, HEIGHT, 3)}
    assert (59, 110, 165) in colours  # bars
    assert (208, 140, 31) in colours  # the pause mark
    assert len(colours) > 10


BERLIN = ZoneInfo("Europe/Berlin")


def berlin(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def period(start: datetime, days: int) -> Period:
    """A period of `days` local days from the naive wall time `start`."""
    return Period(start, start + timedelta(days=days))


def urge(at: datetime) -> Entry:
    return Entry(at, "urge", "Chromium", {})


def test_a_period_begun_three_days_ago_shows_three_bars_from_its_first_day() -> None:
    stats = period_summary(
        [urge(berlin(2026, 11, 30, 22)), urge(berlin(2026, 11, 28, 9))],
        period(datetime(2026, 11, 28), 30),
        berlin(2026, 11, 30, 23, 30),
        BERLIN,
    )
    assert list(stats["urges_per_day"]) == ["2026-11-28", "2026-11-29", "2026-11-30"]
    assert stats["sparkline"] == "█▁█"
    assert "Each day since the period began: █▁█" in text(stats)
    assert "Last" not in text(stats)


def test_in_the_third_week_the_sparkline_shows_the_last_fourteen_days() -> None:
    stats = period_summary([], period(datetime(2026, 11, 1), 30), berlin(2026, 11, 20, 8), BERLIN)
    assert next(iter(stats["urges_per_day"])) == "2026-11-07"
    assert len(stats["sparkline"]) == 14
    assert "Urges resisted: 0. Last 14 days: ▁▁▁▁▁▁▁▁▁▁▁▁▁▁" in text(stats)


def test_on_the_periods_fourteenth_day_the_bars_start_on_its_first() -> None:
    first = datetime(2026, 11, 1)
    stats = period_summary([], period(first, 30), berlin(2026, 11, 14, 23, 59, 59), BERLIN)
    assert next(iter(stats["urges_per_day"])) == "2026-11-01"
    assert "Last 14 days:" in text(stats)


def test_before_the_period_there_are_no_bars_and_no_day() -> None:
    stats = period_summary([], period(datetime(2026, 12, 1), 30), berlin(2026, 11, 30, 23), BERLIN)
    assert stats["urges_per_day"] == {}
    assert stats["sparkline"] == ""
    assert stats["day"] is None
    assert text(stats) == "Urges resisted: 0.\nPauses: asked for 0, cancelled 0, used 0."


def test_an_urge_just_before_midnight_and_one_just_after_fall_on_their_own_days() -> None:
    stats = period_summary(
        [urge(berlin(2026, 11, 28, 23, 59, 59)), urge(berlin(2026, 11, 29, 0, 0, 0))],
        period(datetime(2026, 11, 28), 30),
        berlin(2026, 11, 29, 0, 0, 1),
        BERLIN,
    )
    assert stats["urges_per_day"] == {"2026-11-28": 1, "2026-11-29": 1}
    assert stats["day"] == 2


def test_days_are_the_persons_midnights_not_utcs() -> None:
    # 23:30 UTC on the 27th is 00:30 on the 28th in Berlin: the period's first day.
    stats = period_summary(
        [urge(datetime(2026, 11, 27, 23, 30, tzinfo=UTC))],
        period(datetime(2026, 11, 28), 30),
        datetime(2026, 11, 28, 10, tzinfo=UTC),
        BERLIN,
    )
    assert stats["urges_per_day"] == {"2026-11-28": 1}
    assert stats["day"] == 1


def test_a_period_begun_on_the_night_the_clocks_go_back_counts_calendar_days() -> None:
    # 25 October 2026 lasts 25 hours in Berlin; the days shown are still one a date.
    stats = period_summary(
        [urge(berlin(2026, 10, 25, 23, 30)), urge(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))],
        period(datetime(2026, 10, 25), 30),
        berlin(2026, 10, 27, 0, 10),
        BERLIN,
    )
    assert stats["urges_per_day"] == {"2026-10-25": 2, "2026-10-26": 0, "2026-10-27": 0}
    assert stats["day"] == 3


def test_a_period_begun_on_the_night_the_clocks_go_forward_counts_calendar_days() -> None:
    # 29 March 2026 lasts 23 hours in Berlin: 23:59 that evening is still its first day.
    stats = period_summary(
        [urge(berlin(2026, 3, 29, 23, 59))],
        period(datetime(2026, 3, 29), 30),
        berlin(2026, 3, 29, 23, 59, 30),
        BERLIN,
    )
    assert stats["urges_per_day"] == {"2026-03-29": 1}
    assert (stats["day"], stats["longest_streak"]) == (1, 1)
    assert "Longest run without a pause: 1 day." in text(stats)
    assert "Each day since the period began: █" in text(stats)


def test_the_days_shown_never_reach_before_the_first_day() -> None:
    first = START.date()
    assert days_shown(first, first) == [first]
    assert days_shown(first, first - timedelta(days=1)) == []
    assert len(days_shown(first, first + timedelta(days=40))) == 14


def logged(seconds: float, kind: str, **detail: str) -> Entry:
    return Entry(NOW + timedelta(seconds=seconds), kind, "", dict(detail))


def test_a_rejection_followed_at_once_by_the_list_taken_in_is_not_worth_showing() -> None:
    # An editor that empties the file, then writes it (nano, VS Code); the second step's
    # read may land on the next whole second.
    entries = [
        logged(0, "urge"),
        logged(10, "rejected", error="blocklist.yaml: is empty"),
        logged(11, "applied"),
    ]
    assert [e.kind for e in worth_showing(entries)] == ["urge", "applied"]


def test_an_empty_then_a_half_written_file_before_a_loosening_edit_both_go() -> None:
    entries = [
        logged(0, "rejected", error="is empty"),
        logged(1, "rejected", error="blocklist.yaml:4:3: expected a list"),
        logged(2, "asked config"),
    ]
    assert [e.kind for e in worth_showing(entries)] == ["asked config"]


def test_a_rejection_the_person_put_right_later_stays() -> None:
    entries = [logged(0, "rejected", error="a:1:1: oops"), logged(3, "applied")]
    assert worth_showing(entries) == entries
    left = [logged(0, "applied"), logged(1, "rejected", error="a:1:1: oops")]
    assert worth_showing(left) == left  # taken in before, not after: the edit stays broken


def test_transient_rejections_change_no_count_of_the_summary() -> None:
    entries = [urge(NOW), logged(5, "rejected"), logged(6, "applied"), logged(7, "asked")]
    assert period_summary(entries, period(datetime(2026, 11, 1), 30), NOW, UTC) == summary(
        [urge(NOW), logged(6, "applied"), logged(7, "asked")], START, END, NOW, zone=UTC
    )


def test_every_count_of_one_is_written_in_the_singular() -> None:
    stats = summary([entry(1, 3, "urge")], START, END, START + timedelta(hours=5), zone=UTC)
    words = text(stats)
    assert "Day 1 of 30. Longest run without a pause: 1 day." in words
    assert "1 days" not in words
