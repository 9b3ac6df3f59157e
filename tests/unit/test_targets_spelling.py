"""The spelling pasted is blocked too: Chromium compares a path with its capitals."""

from __future__ import annotations

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core.policies import chromium_policy, firefox_patterns
from blocker.core.targets import from_shorthand, from_url
from tests.helpers import block_list, config_from

CATALOG = shipped_catalog()


def test_a_pasted_spelling_with_capitals_is_kept_beside_the_lower_case_one() -> None:
    target = from_url(CATALOG, "x.com/JordanLee92")
    assert target.handle == "jordanlee92"
    assert target.spelling == "JordanLee92"
    assert target.spelled_prefixes == ("x.com/JordanLee92", "twitter.com/JordanLee92")
    assert target.url_prefixes[:2] == ("x.com/jordanlee92", "twitter.com/jordanlee92")


def test_chromiums_list_holds_the_pasted_spelling_and_the_usual_ones() -> None:
    policy = chromium_policy(from_url(CATALOG, "https://x.com/JordanLee92").url_prefixes)
    blocked = policy["URLBlocklist"]
    assert isinstance(blocked, list)
    wanted = {"x.com/JordanLee92", "x.com/jordanlee92", "x.com/Jordanlee92", "x.com/JORDANLEE92"}
    assert wanted <= set(blocked)


def test_one_person_in_two_spellings_is_one_entry() -> None:
    pasted = from_url(CATALOG, "x.com/JordanLee92")
    assert pasted.key == from_shorthand(CATALOG, "x", "jordanlee92").key
    assert pasted.subject == from_shorthand(CATALOG, "twitter", "JORDANLEE92").subject


def test_a_lower_case_paste_adds_no_other_spelling() -> None:
    target = from_url(CATALOG, "https://www.tiktok.com/@jordanlee")
    assert (target.spelling, target.spelled_prefixes) == (None, ())


def test_an_id_keeps_its_one_spelling() -> None:
    target = from_url(CATALOG, "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv")
    assert target.spelled_prefixes == ()
    assert target.url_prefixes == ("youtube.com/channel/UCabcdefghijklmnopqrstuv",)


def test_firefox_which_ignores_case_gets_each_page_once_per_spelling() -> None:
    patterns = firefox_patterns(from_url(CATALOG, "tiktok.com/@JordanLee").url_prefixes)
    assert patterns == ("*://*.tiktok.com/@jordanlee*", "*://*.tiktok.com/@JordanLee*")


def test_a_repeat_in_another_spelling_adds_its_pages_to_the_first_entry() -> None:
    config = config_from(block_list(profiles="  - x: jordanlee92\n  - x.com/JordanLee92\n"))
    assert config.warnings == ()
    (target,) = config.targets
    assert "x.com/JordanLee92" in target.url_prefixes
    assert target.key == from_shorthand(CATALOG, "x", "jordanlee92").key


def test_a_repeat_in_the_same_spelling_is_still_a_warning() -> None:
    config = config_from(block_list(profiles="  - x: JordanLee92\n  - x.com/JordanLee92\n"))
    assert len(config.targets) == 1
    assert "is already listed at line 5" in config.warnings[0]


def test_a_usual_spelling_is_left_to_the_variants_chromium_gets_anyway() -> None:
    for pasted in ("instagram.com/ALEX.EXAMPLE", "instagram.com/Alex.Example"):
        target = from_url(CATALOG, pasted)
        assert (target.spelling, target.spelled_prefixes) == (None, ())
