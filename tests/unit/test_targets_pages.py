"""A page's address given as a whole site is refused, never cut down to its host."""

from __future__ import annotations

import re

import pytest

from blocker.blocklist.catalog_file import parse_catalog, shipped_catalog
from blocker.core.sites import PageNotSite, site
from blocker.core.targets import from_url
from blocker.errors import ConfigError
from tests.helpers import block_list, config_from

CATALOG = shipped_catalog()


@pytest.mark.parametrize(
    "text",
    [
        "instagram.com/jordan.lee.92",
        "https://www.instagram.com/jordan.lee.92/",
        "https://instagram.com/jordan.lee.92?igsh=abc",
    ],
)
def test_a_profiles_address_as_a_site_is_refused_naming_the_profile(text: str) -> None:
    with pytest.raises(PageNotSite) as caught:
        site(CATALOG, text)
    assert caught.value.host == "instagram.com"
    assert caught.value.profile is not None
    assert caught.value.profile.label == "instagram: jordan.lee.92"
    assert "would block all of instagram.com" in str(caught.value)
    assert "`instagram: jordan.lee.92`" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com:8080", "'example.com:8080' is an address with a port, not a whole site"),
        ("https://example.com:443/", "is an address with a port"),
        ("https://alexblog.example.com/about", "is a page, not a whole site"),
        ("alexblog.example.com/?ref=x", "is a page, not a whole site"),
        ("https://www.instagram.com/explore/", "write the name alone, instagram.com"),
    ],
)
def test_a_path_a_query_or_a_port_on_any_site_is_refused(text: str, expected: str) -> None:
    with pytest.raises(PageNotSite, match=re.escape(expected)) as caught:
        site(CATALOG, text)
    assert caught.value.profile is None


def test_a_message_thread_as_a_site_points_to_its_address_under_profiles() -> None:
    with pytest.raises(PageNotSite, match="to block the message thread") as caught:
        site(CATALOG, "https://www.instagram.com/direct/t/340282366841710300/")
    assert caught.value.profile is not None
    assert caught.value.profile.kind == "thread"


def test_a_site_with_its_scheme_and_a_closing_slash_is_still_the_site() -> None:
    assert site(CATALOG, "https://www.instagram.com/").label == "instagram.com"
    assert site(CATALOG, "http://alexblog.example.com").label == "alexblog.example.com"


def test_an_international_page_is_named_in_its_own_letters() -> None:
    with pytest.raises(PageNotSite, match=re.escape("write the name alone, bücher.example")):
        site(CATALOG, "https://bücher.example/über")


def test_a_page_under_sites_in_a_list_of_before_still_reads_and_is_named_with_file_and_line() -> (
    None
):
    text = block_list(sites="  - alexblog.example.com\n  - instagram.com/jordan.lee.92\n")
    config = config_from(text)  # a list an earlier blocker accepted: the daemon must start
    (warning,) = config.warnings
    assert warning.startswith("blocklist.yaml:7:5: sites[1]: 'instagram.com/jordan.lee.92' is")
    assert "`instagram: jordan.lee.92`" in warning
    assert warning.endswith("until it is changed, all of instagram.com is blocked")
    assert "instagram.com" in config.targets[1].hosts_domains


def test_the_suggested_profile_keeps_the_spelling_pasted() -> None:
    with pytest.raises(PageNotSite, match=re.escape("as `x: JordanLee92`")):
        site(CATALOG, "x.com/JordanLee92")


def test_a_thread_on_facebook_is_blocked_on_messenger_com_and_one_there_on_facebook() -> None:
    on_facebook = from_url(CATALOG, "https://www.facebook.com/messages/t/100000000000001")
    on_messenger = from_url(CATALOG, "https://www.messenger.com/t/100000000000001")
    assert "messenger.com/t/100000000000001" in on_facebook.url_prefixes
    assert "facebook.com/messages/t/100000000000001" in on_messenger.url_prefixes


def test_a_catalog_page_elsewhere_without_the_groups_placeholder_is_refused() -> None:
    text = (
        "chat:\n  name: Chat\n  shorthands: [chat]\n  domains: [chat.example]\n"
        '  handle: "[a-z]{1,9}"\n  pages:\n    - kind: thread\n'
        '      paths: ["/t/{id}"]\n      also: ["other.example/t/{handle}"]\n'
    )
    with pytest.raises(ConfigError, match=re.escape("{id}")):
        parse_catalog(text, "platforms.yaml")
