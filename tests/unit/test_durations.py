from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blocker.core.durations import (
    MAX_DURATION,
    DurationTooLong,
    format_duration,
    parse_duration,
    parse_pause_length,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("30d", timedelta(days=30)),
        (" 2H ", timedelta(hours=2)),
        ("90s", timedelta(seconds=90)),
    ],
)
def test_durations_read_as_people_write_them(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["soon", "", "15", "m15", "1.5h", "-5m", "15 minutes"])
def test_anything_else_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="such as 15m, 1h30m or 30d"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**8))
def test_formatting_a_duration_reads_back_the_same(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


def test_a_duration_past_ten_years_is_refused_naming_the_limit() -> None:
    for text in ("99999999999999999999999d", "3661d", "3660d1s", "87841h"):
        with pytest.raises(ValueError, match=r"at most 3660d \(about ten years\)"):
            parse_duration(text)
    assert parse_duration("3660d") == parse_duration("87840h") == MAX_DURATION


@pytest.mark.parametrize("text", ["1" + "0" * 5000 + "s", "1s" * 100])
def test_a_duration_of_hundreds_of_characters_is_refused_in_one_short_line(text: str) -> None:
    with pytest.raises(ValueError, match="such as 15m") as caught:
        parse_duration(text)
    assert len(str(caught.value)) < 150


# An Arabic-Indic 3, a Devanagari 3, a fullwidth 15: digits to \d, and int() reads them.
@pytest.mark.parametrize("text", ["\u0663d", "\u0969h", "\uff11\uff15m"])
def test_digits_of_other_scripts_are_not_read_as_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="such as 15m"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 hour", timedelta(hours=1)),
        ("5min", timedelta(minutes=5)),
        ("90", timedelta(minutes=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("10 minutes", timedelta(minutes=10)),
        ("1 hour and 30 minutes", timedelta(hours=1, minutes=30)),
        ("1 hr, 5 mins", timedelta(hours=1, minutes=5)),
        (" 2H ", timedelta(hours=2)),
        ("45 seconds", timedelta(seconds=45)),
        ("0m", timedelta(0)),  # read; the gate says a pause must last at least a minute
    ],
)
def test_a_pause_length_is_read_as_people_type_it(text: str, expected: timedelta) -> None:
    assert parse_pause_length(text) == expected


@pytest.mark.parametrize("text", ["abc", "", "1.5h", "-5m", "10 parsecs", "1h30", "\u0663"])
def test_a_pause_length_not_understood_names_the_forms_that_work(text: str) -> None:
    with pytest.raises(ValueError, match=r"like 10m, 10 minutes, 1 hour, 1h30m or 90 \(minutes\)"):
        parse_pause_length(text)


def test_a_pause_length_past_ten_years_is_too_long_not_malformed() -> None:
    for text in ("99999999999999999999", "5000 days"):
        with pytest.raises(DurationTooLong):
            parse_pause_length(text)


@pytest.mark.parametrize("text", ["1 hour", "5min", "90", "10 minutes"])
def test_the_block_list_keeps_its_strict_forms(text: str) -> None:
    with pytest.raises(ValueError, match="such as 15m, 1h30m or 30d"):
        parse_duration(text)
