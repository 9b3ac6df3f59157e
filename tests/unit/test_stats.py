"""The story a fixture month of the urge log tells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocker.core.stats import Entry, longest_streak, sparkline, summary, text

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
