"""Adding and removing entries keeps the person's comments and layout."""

from __future__ import annotations

from blocker.blocklist.yamledit import add_entry, remove_entries

LIST = """\
# my list
period:
  start: 2026-11-20   # the day after
  days: 60

profiles:
  - https://www.instagram.com/alex.example/   # the main one
  - tiktok: alex.example
  # more later

sites: [a.example.com]   # flow style
"""


def test_adding_a_profile_puts_it_after_the_last_one_and_keeps_every_comment() -> None:
    edited = add_entry(LIST, "profiles", {"x": "alex_example"}, "f")
    assert edited == LIST.replace(
        "  - tiktok: alex.example\n", "  - tiktok: alex.example\n  - x: alex_example\n"
    )


def test_adding_to_a_flow_list_stays_in_flow_style() -> None:
    edited = add_entry(LIST, "sites", "b.example.com", "f")
    assert "sites: [a.example.com, b.example.com]   # flow style\n" in edited


def test_adding_to_a_missing_or_empty_list_creates_it() -> None:
    assert add_entry("period: {}\n", "sites", "b.example.com", "f") == (
        "period: {}\nsites:\n  - b.example.com\n"
    )
    assert add_entry("period: {}\nsites:\n# note\n", "sites", "b.example.com", "f") == (
        "period: {}\nsites:\n  - b.example.com\n# note\n"
    )
    assert add_entry("period: {}", "sites", "b.example.com", "f") == (
        "period: {}\nsites:\n  - b.example.com\n"
    )


def test_a_value_yaml_would_misread_is_quoted() -> None:
    edited = add_entry("profiles:\n  - a\n", "profiles", "yes: no # x", "f")
    assert edited == "profiles:\n  - a\n  - 'yes: no # x'\n"


def test_crlf_files_stay_crlf() -> None:
    text = LIST.replace("\n", "\r\n")
    edited = add_entry(text, "profiles", {"x": "alex_example"}, "f")
    assert "\n" not in edited.replace("\r\n", "")


def test_removing_an_entry_removes_only_its_line() -> None:
    edited = remove_entries(LIST, "profiles", {0}, "f")
    assert edited == LIST.replace(
        "  - https://www.instagram.com/alex.example/   # the main one\n", ""
    )


def test_removing_a_mapping_entry_keeps_the_comment_after_it() -> None:
    edited = remove_entries(LIST, "profiles", {1}, "f")
    assert "  # more later\n" in edited
    assert "tiktok" not in edited


def test_removing_from_a_flow_list_keeps_the_rest() -> None:
    text = add_entry(LIST, "sites", "b.example.com", "f")
    assert "sites: [b.example.com]   # flow style" in remove_entries(text, "sites", {0}, "f")
