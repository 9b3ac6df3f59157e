"""A new entry is written as what it blocks, and always reads back as the same target."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.blocklist.catalog_file import shipped_catalog
from blocker.blocklist.entries import written_entry
from blocker.blocklist.listedit import BlockListFile, with_additions
from blocker.blocklist.yamledit import add_entry, render_entry
from blocker.core.sites import site
from blocker.core.targets import from_url
from tests.helpers import block_list

CATALOG = shipped_catalog()


@pytest.mark.parametrize(
    ("pasted", "written"),
    [
        ("https://www.youtube.com/@JordanLee/videos", {"youtube": "JordanLee"}),
        (
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/featured",
            "youtube.com/channel/UCabcdefghijklmnopqrstuv",
        ),
        ("https://jordanlee.tumblr.com/post/1/hello", {"tumblr": "jordanlee"}),
        ("https://www.messenger.com/t/100000000000001/", {"messenger": "100000000000001"}),
    ],
)
def test_a_pasted_page_is_written_as_its_profile_or_its_clean_address(
    pasted: str, written: str | dict[str, str]
) -> None:
    target = from_url(CATALOG, pasted)
    assert written_entry(CATALOG, "profiles", target, pasted) == written


def test_a_site_is_written_without_scheme_slash_or_www() -> None:
    typed = "HTTPS://www.AlexBlog.example.com./"
    assert written_entry(CATALOG, "sites", site(CATALOG, typed), typed) == "alexblog.example.com"


def test_letters_beyond_ascii_are_written_as_themselves() -> None:
    assert render_entry("bücher.example") == "- bücher.example"
    assert add_entry("sites: []\n", "sites", "straße.example", "f") == "sites: [straße.example]\n"


def test_a_cancelled_edit_keeps_its_new_spelling_when_the_list_is_put_back(
    tmp_path: Path,
) -> None:
    file = BlockListFile(tmp_path / "blocklist.yaml", CATALOG, frozenset())
    base = block_list(profiles="  - x: jordanlee92\n", sites="  - alexblog.example.com\n")
    edited = block_list(profiles="  - x: jordanlee92\n  - x: JordanLee92\n  - x: jordanlee92\n")
    assert with_additions(base, edited, file) == base.replace(
        "  - x: jordanlee92\n", "  - x: jordanlee92\n  - x: JordanLee92\n"
    )
