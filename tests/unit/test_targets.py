"""Pasted addresses and shorthands become the same targets, whatever the person pasted."""

from __future__ import annotations

import re

import pytest

from blocker.blocklist import yamlsource
from blocker.blocklist.catalog_file import shipped_catalog
from blocker.core.domains import normalize_hostname
from blocker.core.sites import site
from blocker.core.targets import InvalidTarget, from_shorthand, from_url
from blocker.system.resources import data_file

CATALOG = shipped_catalog()


@pytest.mark.parametrize(
    ("url", "label", "prefix"),
    [
        (
            "https://www.instagram.com/alex.example/?hl=en",
            "instagram: alex.example",
            "instagram.com/alex.example",
        ),
        (
            "https://instagram.com/Alex.Example",
            "instagram: alex.example",
            "instagram.com/alex.example",
        ),
        (
            "instagram.com/stories/alex.example/3141592653/",
            "instagram: alex.example",
            "instagram.com/stories/alex.example",
        ),
        (
            "https://m.facebook.com/alex.example?ref=bookmarks#x",
            "facebook: alex.example",
            "fb.com/alex.example",
        ),
        (
            "https://www.facebook.com/profile.php?id=100000000000001&sk=photos",
            "facebook: 100000000000001",
            "facebook.com/profile.php?id=100000000000001",
        ),
        (
            "https://www.messenger.com/t/100000000000001/",
            "messenger messages: 100000000000001",
            "messenger.com/t/100000000000001",
        ),
        (
            "https://mobile.twitter.com/Alex_Example/status/1?s=20&t=abc",
            "x: alex_example",
            "x.com/alex_example",
        ),
        ("https://x.com/alex_example", "x: alex_example", "twitter.com/alex_example"),
        (
            "https://www.tiktok.com/@alex.example?lang=en&utm_source=copy",
            "tiktok: alex.example",
            "tiktok.com/@alex.example",
        ),
        (
            "https://www.threads.net/@alex.example",
            "threads: alex.example",
            "threads.com/@alex.example",
        ),
        (
            "https://www.snapchat.com/add/alexexample",
            "snapchat: alexexample",
            "snapchat.com/add/alexexample",
        ),
        (
            "https://www.linkedin.com/in/alex-example-123/",
            "linkedin: alex-example-123",
            "linkedin.com/in/alex-example-123",
        ),
        (
            "https://www.youtube.com/@AlexExample/videos",
            "youtube: alexexample",
            "youtube.com/@alexexample",
        ),
        (
            "https://www.youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV",
            "youtube: UCaBcDeFgHiJkLmNoPqRsTuV",
            "youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV",
        ),
        (
            "https://old.reddit.com/u/Alex_Example",
            "reddit: alex_example",
            "reddit.com/user/alex_example",
        ),
        (
            "https://www.pinterest.co.uk/alexexample/",
            "pinterest: alexexample",
            "pinterest.com/alexexample",
        ),
        (
            "https://alex-example.tumblr.com/post/123",
            "tumblr: alex-example",
            "tumblr.com/alex-example",
        ),
        (
            "https://bsky.app/profile/alex.bsky.social",
            "bluesky: alex.bsky.social",
            "bsky.app/profile/alex.bsky.social",
        ),
        ("https://wa.me/15550100123", "whatsapp messages: 15550100123", "wa.me/15550100123"),
    ],
)
def test_a_pasted_profile_address_becomes_its_profile(url: str, label: str, prefix: str) -> None:
    target = from_url(CATALOG, url)
    assert target.label == label
    assert prefix in target.url_prefixes
    assert target.hosts_domains == () or target.platform == "tumblr"
    assert not any("?hl" in p or "utm_" in p or "#" in p or "&" in p for p in target.url_prefixes)


def test_a_profile_is_blocked_on_every_alias_of_its_platform() -> None:
    target = from_shorthand(CATALOG, "twitter", "@Alex_Example")
    assert set(target.url_prefixes) == {"x.com/alex_example", "twitter.com/alex_example"}
    assert {"x.com", "twitter.com", "www.x.com", "mobile.twitter.com"} <= set(target.domains)


def test_a_shorthand_and_the_pasted_address_are_the_same_target() -> None:
    pasted = from_url(CATALOG, "https://www.instagram.com/Alex.Example/?igsh=abc")
    assert from_shorthand(CATALOG, "ig", "Alex.Example") == pasted
    assert from_shorthand(CATALOG, "ig", "alex.example").key == pasted.key


def test_a_blog_of_its_own_goes_into_the_hosts_file_too() -> None:
    target = from_shorthand(CATALOG, "tumblr", "alex-example")
    assert target.hosts_domains == ("alex-example.tumblr.com",)


def test_title_patterns_carry_the_handle_for_the_title_watcher() -> None:
    assert from_shorthand(CATALOG, "instagram", "alex.example").title_patterns == (
        "(@alex.example)",
    )


def test_a_whole_platform_site_brings_every_alias_and_mobile_form() -> None:
    target = site(CATALOG, "https://www.facebook.com/")
    assert {
        "facebook.com",
        "www.facebook.com",
        "m.facebook.com",
        "fb.com",
        "fb.me",
        "web.facebook.com",
    } <= set(target.hosts_domains)


def test_any_other_site_brings_its_www_and_mobile_forms() -> None:
    target = site(CATALOG, "AlexBlog.Example.com")
    assert target.hosts_domains == (
        "alexblog.example.com",
        "www.alexblog.example.com",
        "m.alexblog.example.com",
        "mobile.alexblog.example.com",
    )


def test_an_international_site_name_is_written_in_punycode() -> None:
    assert site(CATALOG, "bücher.example").hosts_domains[0] == "xn--bcher-kva.example"
    assert normalize_hostname("STRASSE.example") == "strasse.example"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.instagram.com/p/CxYz123/", "is a page on Instagram but not a profile"),
        ("https://www.instagram.com/", "is a page on Instagram but not a profile"),
        ("https://x.com/home", "is a page on X (Twitter) but not a profile"),
        ("https://alexblog.example.com/", "not a site blocker knows profiles on"),
        ("https://www.instagram.com/alex example/", "contains a space"),
    ],
)
def test_an_address_that_is_not_a_profile_says_what_to_do_instead(url: str, expected: str) -> None:
    with pytest.raises(InvalidTarget, match=re.escape(expected)):
        from_url(CATALOG, url)


def test_an_unknown_platform_shorthand_lists_the_known_ones() -> None:
    with pytest.raises(InvalidTarget, match="known: instagram, ig"):
        from_shorthand(CATALOG, "myspace", "alex")


def test_a_handle_that_cannot_exist_on_the_platform_is_refused() -> None:
    with pytest.raises(InvalidTarget, match="does not look like a X"):
        from_shorthand(CATALOG, "x", "alex.example.with.dots")


def test_the_catalog_covers_the_platforms_people_check() -> None:
    keys = {platform.key for platform in CATALOG.platforms}
    assert {
        "instagram",
        "facebook",
        "messenger",
        "x",
        "tiktok",
        "threads",
        "snapchat",
        "linkedin",
        "youtube",
        "reddit",
        "pinterest",
        "tumblr",
        "bluesky",
        "whatsapp",
    } <= keys


def test_every_catalog_domain_is_a_valid_lower_case_hostname() -> None:
    for platform in CATALOG.platforms:
        for domain in platform.domains:
            assert normalize_hostname(domain) == domain


def test_the_catalog_file_parses_with_every_platform_having_pages() -> None:
    root = yamlsource.parse(yamlsource.read_file(data_file("platforms.yaml")), "platforms.yaml")
    assert isinstance(root, yamlsource.Mapping)
    assert all(platform.pages for platform in CATALOG.platforms)


def test_back_door_sites_are_valid_names_apart_from_the_platforms_own() -> None:
    for platform in CATALOG.platforms:
        if platform.backdoors:
            assert platform.backdoors_reviewed is not None
        for domain in platform.backdoors:
            assert normalize_hostname(domain) == domain
            assert CATALOG.by_host(domain) is None  # never the platform itself


def test_a_blocked_profile_brings_its_platforms_back_doors() -> None:
    target = from_shorthand(CATALOG, "instagram", "alex.example")
    assert {"picuki.com", "www.picuki.com", "imginn.com"} <= set(target.backdoor_domains)
    assert target.hosts_domains == ()  # instagram.com itself stays reachable


def test_two_page_forms_of_one_profile_are_the_same_person_but_not_the_same_entry() -> None:
    by_id = from_url(CATALOG, "https://www.facebook.com/profile.php?id=100000000000002")
    by_name = from_shorthand(CATALOG, "facebook", "100000000000002")
    assert by_id.label == by_name.label == "facebook: 100000000000002"
    assert by_id.subject == by_name.subject  # `blocker remove facebook: N` takes off both
    assert by_id.key != by_name.key  # they refuse different pages
    channel = from_shorthand(CATALOG, "youtube", "alexexample")
    assert from_url(CATALOG, "https://www.youtube.com/@AlexExample/videos").key == channel.key
