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
