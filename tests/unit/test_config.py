"""The block list: what a person writes, and the one-line errors when it is wrong."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from blocker.blocklist import yamlsource
from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.config_file import load_config
from blocker.errors import ConfigError
from blocker.system.resources import data_file
from tests.helpers import block_list, config_from


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        config_from(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def test_the_shipped_example_is_valid_and_blocks_what_it_lists() -> None:
    config = load_config(data_file("blocklist.yaml"), shipped_catalog())
    labels = [t.label for t in config.targets]
    assert "instagram: alex.example" in labels
    assert "alexblog.example.com" in labels
    assert config.warnings == ()


def test_a_period_of_days_ends_that_many_days_after_its_start() -> None:
    config = config_from(block_list(start="2026-11-20 18:30", length="days: 3"))
    assert config.period.start == datetime(2026, 11, 20, 18, 30)
    assert config.period.end == datetime(2026, 11, 23, 18, 30)


def test_until_a_date_includes_that_whole_day() -> None:
    config = config_from(block_list(length="until: 2026-12-24"))
    assert config.period.end == datetime(2026, 12, 25, 0, 0)


def test_pause_settings_default_to_fifteen_minutes_and_two_a_day() -> None:
    pause = config_from(block_list()).pause
    assert (pause.cooldown, pause.max_length, pause.per_day) == (
        timedelta(minutes=15),
        timedelta(minutes=15),
        2,
    )


def test_pause_settings_read_durations_as_people_write_them() -> None:
    text = block_list(extra="pause:\n  cooldown: 1h30m\n  max_length: 20m\n  per_day: 1\n")
    pause = config_from(text).pause
    assert pause.cooldown == timedelta(hours=1, minutes=30)
    assert pause.max_length == timedelta(minutes=20)
    assert pause.per_day == 1


def test_windows_read_times_as_clock_times_not_yaml_sexagesimal_numbers() -> None:
    extra = "  windows:\n    - days: [fri, sat]\n      from: 21:00\n      to: 02:00\n"
    text = f"period:\n  start: 2026-11-20\n  days: 30\n{extra}"
    (window,) = config_from(text).period.windows
    assert window.weekdays == frozenset({4, 5})
    assert (window.start, window.end) == (time(21, 0), time(2, 0))


def test_duplicates_collapse_into_one_target_with_a_warning_naming_both_lines() -> None:
    profiles = "  - instagram: Alex.Example\n  - https://www.instagram.com/alex.example/?hl=en\n"
    config = config_from(block_list(profiles=profiles))
    assert len(config.targets) == 1
    (warning,) = config.warnings
    assert "blocklist.yaml:6:5" in warning
    assert "line 5" in warning


def test_two_page_forms_of_one_profile_are_both_kept_as_each_blocks_other_pages() -> None:
    profiles = "  - facebook.com/profile.php?id=100000000000002\n  - facebook: 100000000000002\n"
    config = config_from(block_list(profiles=profiles))
    assert [t.url_prefixes[0] for t in config.targets] == [
        "facebook.com/profile.php?id=100000000000002",
        "facebook.com/100000000000002",
    ]
    assert config.warnings == ()


def test_a_shorthand_written_without_a_space_still_reads_as_a_shorthand() -> None:
    config = config_from(block_list(profiles="  - 'tiktok:alex.example'\n"))
    assert config.targets[0].url_prefixes == ("tiktok.com/@alex.example",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("period: [\n", "blocklist.yaml:2:1: (syntax): YAML syntax error"),
        (
            block_list(start="2026-02-30"),
            "blocklist.yaml:2:10: period.start: expected a date "
            "that exists on the calendar, found '2026-02-30'",
        ),
        (block_list(start="next friday"), "period.start: expected a date like 2026-12-01"),
        (
            block_list(length="until: 2026-11-01"),
            "blocklist.yaml:3:10: period.until: `until` (2026-11-02 00:00) is not after `start`",
        ),
        (block_list(length="days: soon"), "period.days: expected a whole number of days"),
        (block_list(length="days: 30\n  until: 2026-12-30"), "write either `days:`"),
        (
            block_list(extra="pause:\n  cooldown: soon\n"),
            "blocklist.yaml:5:13: pause.cooldown: expected a duration such as 15m",
        ),
        (block_list(extra="pause:\n  per_day: many\n"), "pause.per_day: expected a whole number"),
        (
            block_list(extra="pasue:\n  cooldown: 5m\n"),
            "blocklist.yaml:4:1: pasue: unknown setting 'pasue'; did you mean 'pause'?",
        ),
        (block_list(extra="pause:\n  cooldwn: 5m\n"), "did you mean 'cooldown'?"),
        (
            "period: 2026-11-20\n",
            "period: expected the period (start, and days or until), found '2026-11-20'",
        ),
        ("profiles: []\n", "has no `period:`"),
        ("", "is empty"),
        ("# only a comment\n", "is empty"),
        ("- a\n- b\n", "expected the block list (period, profiles, sites, pause), found a list"),
        (
            block_list(profiles="  - instagram: [a, b]\n"),
            "profiles[0].instagram: expected a profile name, found a list",
        ),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("period: 1\nperiod: 2\n", "blocklist.yaml:2:1: period: 'period' is written twice"),
    ],
)
def test_a_broken_block_list_gets_one_sentence_naming_file_line_and_field(
    text: str, expected: str
) -> None:
    assert expected in error_of(text)


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("'evil.example.com\\n1.2.3.4 bank.example'", "contains a space, a '#' or a control"),
        ("'evil.example.com #x'", "contains a space, a '#'"),
        ("'a.example.com b.example.com'", "contains a space"),
        ("192.0.2.7", "is an IP address"),
        ("'[2001:db8::1]'", "is an IP address"),
        ("localhost", "this computer's own name"),
        ("myhost", "this computer's own name"),
        ("'*.instagram.com'", "a hosts file cannot hold wildcards"),
        ("instagram", "not a full site name"),
        ("'-bad-.example.com'", "not a valid site name"),
    ],
)
def test_a_hostile_or_impossible_site_is_refused_with_the_reason(site: str, expected: str) -> None:
    message = error_of(block_list(sites=f"  - {site}\n"))
    assert "sites[0]" in message
    assert expected in message


def test_a_profile_on_an_unknown_site_points_to_sites_instead() -> None:
    message = error_of(block_list(profiles="  - https://alexblog.example.com/about\n"))
    assert "is not a site blocker knows profiles on" in message
    assert "`sites:`" in message


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"\x00\x01\x02binary"), "is a binary file"),
        (lambda p: p.write_bytes(b"period: x\n" + b"#" * 50_000_000), "is 50,000,010 bytes"),
        (lambda p: p.write_bytes(b"period: \xff\xfe\n"), "is not UTF-8 text"),
        (lambda p: None, "no block list here"),
    ],
)
def test_a_config_path_that_is_not_a_block_list_is_refused_plainly(
    tmp_path: Path, make: object, expected: str
) -> None:
    path = tmp_path / "blocklist.yaml"
    make(path)  # type: ignore[operator]
    with pytest.raises(ConfigError, match=expected):
        yamlsource.read_file(path)


def test_loading_a_block_list_changes_nothing_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "blocklist.yaml"
    path.write_text(block_list(sites="  - alexblog.example.com\n"))
    before = sorted(tmp_path.iterdir()), path.read_bytes()
    load_config(path, shipped_catalog())
    assert (sorted(tmp_path.iterdir()), path.read_bytes()) == before


def test_strict_mode_is_off_unless_switched_on() -> None:
    assert config_from(block_list()).strict is False
    assert config_from(block_list(extra="strict: yes\n")).strict is True
    assert "strict: expected true or false, found 'maybe'" in error_of(
        block_list(extra="strict: maybe\n")
    )


def test_the_persons_own_reasons_are_kept_in_order() -> None:
    config = config_from(
        block_list(extra="reasons:\n  - I want my evenings back.\n  - Me first.\n")
    )
    assert config.reasons == ("I want my evenings back.", "Me first.")


def test_a_date_outside_this_century_is_refused_with_its_place_and_the_limit() -> None:
    assert error_of(block_list(length="until: 9999-12-31")) == (
        "blocklist.yaml:3:10: period.until: expected a date from 2000-01-01 to 2100-12-31, "
        "found '9999-12-31'"
    )
    for start in ("9999-12-31", "9999-12-31 23:59", "1999-12-31", "0001-01-01"):
        assert error_of(block_list(start=start)).startswith(
            "blocklist.yaml:2:10: period.start: expected a date from 2000-01-01 to 2100-12-31"
        )
    # The first and the last day allowed are read.
    assert config_from(block_list(start="2000-01-01")).period.start == datetime(2000, 1, 1)
    late = config_from(block_list(start="2100-12-01", length="until: 2100-12-31"))
    assert late.period.end == datetime(2101, 1, 1)


def test_a_period_until_a_date_more_than_3660_days_away_is_refused_with_its_place() -> None:
    message = error_of(block_list(start="2026-01-01", length="until: 2099-12-31"))
    assert message.startswith("blocklist.yaml:3:10: period.until: a period lasts at most 3660")
    assert "27,028 days" in message
    one_day_over = error_of(block_list(start="2026-01-01", length="until: 2036-01-09"))
    assert "3,661 days" in one_day_over
    # 3660 days exactly, written either way, is a period.
    by_days = config_from(block_list(start="2026-01-01", length="days: 3660")).period
    by_until = config_from(block_list(start="2026-01-01", length="until: 2036-01-08")).period
    assert by_days.end == by_until.end == datetime(2036, 1, 9)


@pytest.mark.parametrize("days", ["²", "٣", "9" * 5000])
def test_days_that_are_not_ascii_digits_from_1_to_3660_are_refused_with_their_place(
    days: str,
) -> None:
    message = error_of(block_list(length=f"days: {days}"))
    assert message.startswith(
        "blocklist.yaml:3:9: period.days: expected a whole number of days from 1 to 3660, found"
    )
    assert len(message) < 200


def test_a_cooldown_over_two_days_is_refused_with_its_place() -> None:
    message = error_of(block_list(extra="pause:\n  cooldown: 999999999d\n"))
    assert message == (
        "blocklist.yaml:5:13: pause.cooldown: expected a duration from 0s to 2d, found '999999999d'"
    )
    assert "2d1s" in error_of(block_list(extra="pause:\n  cooldown: 2d1s\n"))
    two_days = config_from(block_list(extra="pause:\n  cooldown: 2d\n")).pause.cooldown
    assert two_days == timedelta(days=2)


def test_a_pause_longer_than_a_day_is_refused_with_its_place() -> None:
    for written in ("999999999d", "25h", "99999999999999999999999d"):
        message = error_of(block_list(extra=f"pause:\n  max_length: {written}\n"))
        assert message.startswith(
            "blocklist.yaml:5:15: pause.max_length: expected a duration from 1s to 1d, found"
        )
    pause = config_from(block_list(extra="pause:\n  max_length: 24h\n")).pause
    assert pause.max_length == timedelta(days=1)


def test_pauses_a_day_not_ascii_digits_up_to_24_are_refused_with_their_place() -> None:
    for per_day in ("²", "٣", "25", "99999999999999999999999999", "1" * 5000):
        message = error_of(block_list(extra=f"pause:\n  per_day: {per_day}\n"))
        assert message.startswith(
            "blocklist.yaml:5:12: pause.per_day: expected a whole number of pauses a day "
            "from 0 to 24, found"
        )
        assert len(message) < 200
    assert config_from(block_list(extra="pause:\n  per_day: 0\n")).pause.per_day == 0
    assert config_from(block_list(extra="pause:\n  per_day: '24'\n")).pause.per_day == 24


def test_lists_nested_3000_deep_are_refused_with_their_place_before_parsing_recurses() -> None:
    flow = "  - " + "[" * 3000 + "]" * 3000 + "\n"
    block = "".join("  " * level + "-\n" for level in range(1, 3001))
    for reasons, line_col in ((flow, "5:35"), (block, "36:65")):
        message = error_of(block_list(extra=f"reasons:\n{reasons}"))
        assert message.startswith(f"blocklist.yaml:{line_col}: (nesting): ")
        assert "nested more than 32 levels deep" in message
    # The top-level mapping and `reasons:` are two levels; thirty lists inside make 32,
    # which are parsed and then checked as usual.
    message = error_of(block_list(extra="reasons:\n  - " + "[" * 30 + "]" * 30 + "\n"))
    assert "reasons[0]: expected a reason, in your own words, found a list" in message
