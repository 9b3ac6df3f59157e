"""A name without its site, or a platform misspelt, is answered with what to write."""

from __future__ import annotations

import re

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core.mistakes import close_platform
from blocker.core.targets import InvalidTarget, from_shorthand, from_url
from blocker.errors import ConfigError
from tests.helpers import block_list, config_from

CATALOG = shipped_catalog()


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        (
            "@jordanlee",
            "which site is @jordanlee on? e.g. instagram:jordanlee or tiktok:@jordanlee",
        ),
        ("jordanlee", "which site is jordanlee on? e.g. instagram:jordanlee or tiktok:@jordanlee"),
        (
            "@jordan.lee.92",
            "which site is @jordan.lee.92 on? e.g. instagram:jordan.lee.92 or "
            "tiktok:@jordan.lee.92",
        ),
        ("jordan.lee.92", "which site is jordan.lee.92 on?"),
    ],
)
def test_a_name_without_its_site_is_asked_which_site_it_is_on(typed: str, question: str) -> None:
    with pytest.raises(InvalidTarget, match=re.escape(question)):
        from_url(CATALOG, typed)


@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("instagarm:jordan.lee.92", "instagram"),
        ("instagarm: jordan.lee.92", "instagram"),
        ("twiter:jordanlee", "twitter"),
        ("tiktk:@jordanlee", "tiktok"),
        ("Facebok:jordan.lee", "facebook"),
    ],
)
def test_a_misspelt_platform_is_answered_with_the_nearest_one(typed: str, near: str) -> None:
    with pytest.raises(InvalidTarget, match=re.escape(f"did you mean {near}?")):
        from_url(CATALOG, typed)


def test_a_misspelt_platform_in_a_shorthand_is_answered_the_same_way() -> None:
    with pytest.raises(InvalidTarget, match=r"^'instagarm' is not a platform blocker knows: did"):
        from_shorthand(CATALOG, "instagarm", "jordan.lee.92")


def test_a_word_near_no_platform_lists_the_known_ones_instead() -> None:
    assert close_platform(CATALOG, "myspace") is None
    with pytest.raises(InvalidTarget, match="known: instagram, ig"):
        from_url(CATALOG, "myspace:jordanlee")


def test_a_platform_name_is_near_its_own_word() -> None:
    assert close_platform(CATALOG, "you tube") == "youtube"
    assert close_platform(CATALOG, "INSTAGRAM") == "instagram"


def test_a_platform_alone_says_to_add_the_name_or_the_whole_site() -> None:
    with pytest.raises(InvalidTarget, match=re.escape("write `instagram:` and the person's")):
        from_url(CATALOG, "insta")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alexblog.example.com", "not a site blocker knows profiles on"),
        ("example.com:8080/x", "not a site blocker knows profiles on"),
        ("localhost:8080", "this computer's own name"),
    ],
)
def test_an_address_is_still_read_as_an_address(typed: str, expected: str) -> None:
    with pytest.raises(InvalidTarget, match=re.escape(expected)):
        from_url(CATALOG, typed)


def test_a_misspelt_platform_in_the_yaml_names_file_line_and_column() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from(block_list(profiles="  - instagarm: jordan.lee.92\n"))
    assert str(caught.value) == (
        "blocklist.yaml:5:5: profiles[0]: 'instagarm' is not a platform blocker knows: "
        "did you mean instagram?"
    )
