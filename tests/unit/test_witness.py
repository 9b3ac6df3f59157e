"""What the layers hold beyond the block list's plan, after a lost state: pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocker.core.plan import Desired
from blocker.core.policies import chromium_entries, firefox_patterns
from blocker.core.witness import Found, Held, held_after_loss, widened

NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
COOLDOWN = timedelta(minutes=15)
PROFILE = "instagram.com/alex.example"


def planned(domains: tuple[str, ...] = (), prefixes: tuple[str, ...] = ()) -> Desired:
    return Desired(bool(domains or prefixes), domains, prefixes, (), None)


def test_what_the_plan_already_blocks_is_not_held_case_variants_and_all() -> None:
    others = ("ads.example/",)
    found = Found(
        domains=frozenset({"alexblog.example.com"}),
        chromium_entries=frozenset(chromium_entries((PROFILE,), others).entries),
        chromium_others=others,
        firefox_patterns=frozenset(firefox_patterns((PROFILE,))),
    )
    desired = planned(("alexblog.example.com",), (PROFILE,))
    assert held_after_loss(found, desired, NOW, COOLDOWN, "lost") is None


def test_names_and_pages_beyond_the_plan_are_held_for_the_cooldown() -> None:
    found = Found(
        domains=frozenset({"alexblog.example.com", "alexphotos.example.org"}),
        chromium_entries=frozenset(chromium_entries((PROFILE,)).entries),
        firefox_patterns=frozenset(firefox_patterns(("x.com/alexexample",))),
    )
    held = held_after_loss(found, planned(("alexblog.example.com",)), NOW, COOLDOWN, "lost")
    assert held is not None
    assert held.domains == ("alexphotos.example.org",)
    assert PROFILE in held.url_prefixes
    assert "x.com/alexexample" in held.url_prefixes
    assert held.until == NOW + COOLDOWN
    assert held.holds(NOW + COOLDOWN - timedelta(seconds=1))
    assert not held.holds(NOW + COOLDOWN)


def test_a_hold_widens_the_plan_until_it_is_over() -> None:
    found = Found(domains=frozenset({"alexphotos.example.org"}))
    held = held_after_loss(found, planned(), NOW, COOLDOWN, "lost")
    assert widened(("a.example",), (), held, NOW) == (("a.example", "alexphotos.example.org"), ())
    assert widened(("a.example",), (), held, NOW + COOLDOWN) == (("a.example",), ())


def test_a_hold_still_on_when_saved_lasts_the_downtime_longer_an_ended_one_stays_ended() -> None:
    held = Held(("alexphotos.example.org",), (), NOW + COOLDOWN, "the state was lost")
    down = timedelta(minutes=7)
    assert held.postponed(NOW, down).until == NOW + COOLDOWN + down
    assert held.postponed(NOW + COOLDOWN, down) is held
    assert held.postponed(NOW, timedelta(0)) is held
