"""Which edits of the block list loosen it, and what applies meanwhile."""

from __future__ import annotations

from blocker.core.loosening import loosenings, tightened
from tests.helpers import block_list, config_from

BASE = block_list(profiles="  - instagram: alex.example\n", sites="  - alexblog.example.com\n")


def test_adding_targets_or_lengthening_the_period_only_tightens() -> None:
    old = config_from(BASE)
    new = config_from(
        block_list(
            start="2026-11-19",
            length="days: 40",
            profiles="  - instagram: alex.example\n  - tiktok: alex.example\n",
            sites="  - alexblog.example.com\n",
            extra="pause:\n  cooldown: 30m\n",
        )
    )
    assert loosenings(old, new) == ()


def test_removing_a_target_or_shortening_anything_loosens() -> None:
    old = config_from(BASE)
    new = config_from(
        block_list(
            start="2026-11-21",
            length="days: 10",
            profiles="  - instagram: alex.example\n",
            extra="pause:\n  cooldown: 1m\n  max_length: 1h\n  per_day: 9\n",
        )
    )
    assert loosenings(old, new) == (
        "unblock alexblog.example.com",
        "start the period later",
        "end the period earlier",
        "shorten the cooldown",
        "allow longer pauses",
        "allow more pauses a day",
    )


def test_adding_blocking_hours_narrows_the_block_and_so_loosens() -> None:
    old = config_from(BASE)
    windowed = BASE.replace(
        "  days: 30\n", "  days: 30\n  windows:\n    - from: '21:00'\n      to: '02:00'\n"
    )
    assert loosenings(old, config_from(windowed)) == ("change the blocking hours",)
    assert loosenings(config_from(windowed), old) == ()


def test_allowing_the_back_doors_again_loosens() -> None:
    allowed = config_from(BASE.replace("sites:", "backdoors: false\nsites:"))
    assert loosenings(config_from(BASE), allowed) == ("stop blocking viewer and mirror sites",)
    assert loosenings(allowed, config_from(BASE)) == ()


def test_while_a_loosening_waits_the_added_targets_apply_at_once() -> None:
    old = config_from(BASE)
    new = config_from(block_list(profiles="  - tiktok: alex.example\n"))
    merged = tightened(old, new)
    assert [t.label for t in merged.targets] == [
        "instagram: alex.example",
        "alexblog.example.com",
        "tiktok: alex.example",
    ]
    assert merged.period == old.period


FACEBOOK_ID = "  - https://www.facebook.com/profile.php?id=100000000000002\n"
YOUTUBE_C = "  - https://www.youtube.com/c/alexexample\n"


def test_writing_a_facebook_id_address_as_the_short_form_unblocks_its_page() -> None:
    old = config_from(block_list(profiles=FACEBOOK_ID))
    new = config_from(block_list(profiles="  - facebook: 100000000000002\n"))
    assert loosenings(old, new) == (
        "unblock facebook.com/profile.php?id=100000000000002 of facebook: 100000000000002",
    )


def test_writing_a_youtube_c_address_as_the_short_form_unblocks_its_page() -> None:
    old = config_from(block_list(profiles=YOUTUBE_C))
    new = config_from(block_list(profiles="  - youtube: alexexample\n"))
    assert loosenings(old, new) == ("unblock youtube.com/c/alexexample of youtube: alexexample",)


def test_taking_off_one_of_two_forms_of_a_profile_names_the_page_that_comes_off() -> None:
    both = config_from(block_list(profiles=FACEBOOK_ID + "  - facebook: 100000000000002\n"))
    assert loosenings(both, config_from(block_list(profiles=FACEBOOK_ID))) == (
        "unblock facebook.com/100000000000002 of facebook: 100000000000002",
    )
    assert loosenings(config_from(block_list(profiles=FACEBOOK_ID)), both) == ()


def test_swapping_an_entry_for_forms_that_block_all_its_pages_and_more_only_tightens() -> None:
    old = config_from(block_list(profiles=YOUTUBE_C))
    # The same page written another way (other case, a tab of it), and another form.
    new = config_from(
        block_list(
            profiles="  - youtube: alexexample\n  - https://youtube.com/c/AlexExample/videos\n"
        )
    )
    assert loosenings(old, new) == ()


def test_reordering_or_repeating_entries_loosens_nothing() -> None:
    old = config_from(block_list(profiles=FACEBOOK_ID + YOUTUBE_C, sites="  - a.example\n"))
    new = config_from(
        block_list(
            profiles=YOUTUBE_C
            + "  - youtube.com/c/alexexample\n"
            + FACEBOOK_ID
            + "  - facebook.com/profile.php?id=100000000000002&ref=bookmarks\n",
            sites="  - www.a.example\n  - a.example\n",
        )
    )
    assert loosenings(old, new) == ()
    assert loosenings(new, old) == ()


def test_while_a_form_swap_waits_both_forms_are_blocked() -> None:
    old = config_from(block_list(profiles=FACEBOOK_ID))
    new = config_from(block_list(profiles="  - facebook: 100000000000002\n"))
    prefixes = {p for t in tightened(old, new).targets for p in t.url_prefixes}
    assert {
        "facebook.com/profile.php?id=100000000000002",
        "facebook.com/100000000000002",
    } <= prefixes
