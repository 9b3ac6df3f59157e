"""The period set in a written list (`blocker period`), the list `blocker init` writes,
and the period in words: each option changes its value alone, every comment stays."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.listedit import BlockListFile
from blocker.blocklist.periodfile import PeriodChoice, checked, hours_of, set_period
from blocker.blocklist.starter import starter_list
from blocker.core.loosening import loosenings
from blocker.core.periodtext import changed_sentence, hours_sentence, period_sentence
from blocker.errors import UsageError
from blocker.system.resources import data_file
from tests.helpers import config_from

EXAMPLE = data_file("blocklist.yaml").read_text()


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]


def test_days_changes_its_value_alone_and_keeps_its_comment() -> None:
    after = set_period(EXAMPLE, PeriodChoice(days="90"), "list.yaml")
    assert _changed_lines(EXAMPLE, after) == [
        (
            "  days: 60                 # how long it lasts; or instead write  until: 2027-01-18",
            "  days: 90                 # how long it lasts; or instead write  until: 2027-01-18",
        )
    ]
    assert config_from(after).period.end == datetime(2027, 2, 18)


def test_until_takes_the_place_of_days_on_its_line() -> None:
    after = set_period(EXAMPLE, PeriodChoice(until="2027-03-01"), "list.yaml")
    ((_, line),) = _changed_lines(EXAMPLE, after)
    assert line.startswith("  until: 2027-03-01                 # how long it lasts")
    assert config_from(after).period.end == datetime(2027, 3, 2)  # the last day included
    back = set_period(after, PeriodChoice(days="60"), "list.yaml")
    assert config_from(back).period == config_from(EXAMPLE).period


def test_a_start_with_a_time_is_quoted_and_read_back() -> None:
    after = set_period(EXAMPLE, PeriodChoice(start="2026-12-03 18:00"), "list.yaml")
    ((_, line),) = _changed_lines(EXAMPLE, after)
    assert line.startswith('  start: "2026-12-03 18:00"        # a date')
    assert config_from(after).period.start == datetime(2026, 12, 3, 18, 0)


def test_hours_go_in_the_period_before_its_commented_example_and_all_day_takes_them_out() -> None:
    after = set_period(EXAMPLE, PeriodChoice(hours=("18:00", "02:00")), "list.yaml")
    lines = after.splitlines()
    at = lines.index("  windows:")
    assert lines[at - 1].strip().startswith("# (the last day")  # days' comment stays with it
    assert lines[at + 1 : at + 4] == [
        "    - days: every day",
        '      from: "18:00"',
        '      to: "02:00"',
    ]
    assert lines[at + 4].startswith("  # Optional: block only at certain hours")
    assert set(EXAMPLE.splitlines()) <= set(lines)  # nothing else changed
    (window,) = config_from(after).period.windows
    assert (f"{window.start:%H:%M}", f"{window.end:%H:%M}") == ("18:00", "02:00")
    wider = set_period(after, PeriodChoice(hours=("17:00", "03:00")), "list.yaml")
    assert wider.count("windows:") == 2  # the one written and the commented example
    assert set_period(wider, PeriodChoice(all_day=True), "list.yaml") == EXAMPLE


def test_an_option_s_mistake_names_the_option_in_one_line() -> None:
    cases = {
        PeriodChoice(days="0"): "--days: expected a whole number of days from 1 to 3660",
        PeriodChoice(start="2026-02-30"): "--start: expected a date that exists",
        PeriodChoice(hours=("25:00", "01:00")): "--hours: expected a time of day",
        PeriodChoice(until="2026-01-01"): "--until:",
    }
    for choice, words in cases.items():
        with pytest.raises(UsageError, match="^" + words.replace("(", r"\(")) as raised:
            set_period(EXAMPLE, choice, "list.yaml")
        assert "\n" not in str(raised.value)
    with pytest.raises(UsageError, match="--hours: write the hours like 18:00-02:00"):
        hours_of("18:00")


def test_the_list_init_writes_is_valid_lists_nothing_and_takes_an_added_profile(
    tmp_path: Path,
) -> None:
    text = starter_list({"start": "2026-12-03", "days": "60"}, ("18:00", "02:00"))
    config = config_from(text)
    assert config.targets == ()
    assert config.period == checked({"start": "2026-12-03", "days": "60"}, ("18:00", "02:00"))
    assert "alex" not in text  # no made-up entries to take out
    file = tmp_path / "blocklist.yaml"
    file.write_text(text)
    listed = BlockListFile(file, shipped_catalog(), frozenset())
    listed.add("instagram:someone.real", whole_site=False)
    listed.add("theirblog.example.org", whole_site=True)
    assert [t.label for t in listed.read()[1].targets] == [
        "instagram: someone.real",
        "theirblog.example.org",
    ]


def test_the_period_in_words_as_init_says_it() -> None:
    period = checked({"start": "2026-12-03", "days": "60"}, None)
    assert period_sentence(period, datetime(2026, 12, 3, 9, 30)) == (
        "Your no-stalking period starts today, 3 Dec 2026, and lasts until the end of "
        "31 Jan 2027 (60 days)."
    )
    assert period_sentence(period, datetime(2026, 12, 20)) == (
        "Your no-stalking period started on 3 Dec 2026, and lasts until the end of "
        "31 Jan 2027 (60 days)."
    )
    one = checked({"start": "2026-12-04 18:00", "days": "1"}, ("18:00", "02:00"))
    assert period_sentence(one, datetime(2026, 12, 3)) == (
        "Your no-stalking period starts tomorrow, 4 Dec 2026 at 18:00, and ends on "
        "5 Dec 2026 at 18:00 (1 day)."
    )
    assert hours_sentence(one) == (
        "It blocks only from 18:00 to 02:00 every day; outside those hours nothing is blocked."
    )
    longer = checked({"start": "2026-12-03", "days": "90"}, None)
    assert (
        changed_sentence(period, longer)
        == "Your period now lasts until the end of 2 Mar 2027 (90 days)."
    )


def test_wider_hours_or_a_window_more_tighten_and_narrower_hours_loosen() -> None:
    def listed(*hours: tuple[str, str]) -> str:
        text = starter_list({"start": "2026-12-03", "days": "60"}, hours[0] if hours else None)
        for more in hours[1:]:
            text = text.replace(
                "\n\n# Your own reasons",
                f'\n    - days: every day\n      from: "{more[0]}"\n      to: "{more[1]}"'
                "\n\n# Your own reasons",
            )
        return text

    evenings = config_from(listed(("18:00", "02:00")))
    assert loosenings(evenings, config_from(listed(("17:00", "03:00")))) == ()
    assert loosenings(evenings, config_from(listed(("18:00", "02:00"), ("08:00", "09:00")))) == ()
    assert loosenings(evenings, config_from(listed())) == ()  # all day
    assert loosenings(evenings, config_from(listed(("19:00", "02:00")))) == (
        "change the blocking hours",
    )
    assert loosenings(config_from(listed()), evenings) == ("change the blocking hours",)
