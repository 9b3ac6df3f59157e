"""`blocker add`, run in-process against a sandbox: a fresh mistake is answered with what
to type instead, and the list on disk keeps what is blocked, in words the person can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from blocker.system.paths import Paths
from tests.helpers import block_list, run_cli, sandbox_paths

PROFILES = "  - instagram: alex.example\n"
SITES = "  - alexblog.example.com\n"


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return sandbox_paths(tmp_path, block_list(profiles=PROFILES, sites=SITES))


def test_a_site_with_a_profiles_path_is_refused_and_the_profile_form_suggested(
    paths: Paths,
) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "--site", "instagram.com/jordan.lee.92")
    assert result.status == ExitStatus.INVALID
    assert result.stderr == (
        "blocker: 'instagram.com/jordan.lee.92' is a page, not a whole site: --site would "
        "block all of instagram.com; to block the profile, run "
        "`blocker add instagram:jordan.lee.92` (or paste the address without --site)\n"
    )
    assert paths.config.read_bytes() == before


@pytest.mark.parametrize(
    "typed", ["https://alexblog.example.com/about", "alexphotos.example.org:8080"]
)
def test_a_site_with_a_path_or_a_port_is_refused_in_one_line(paths: Paths, typed: str) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "--site", typed)
    assert result.status == ExitStatus.INVALID
    assert result.stderr.count("\n") == 1
    assert "not a whole site" in result.stderr
    assert "`blocker add --site alex" in result.stderr
    assert paths.config.read_bytes() == before


def test_the_suggested_profile_form_then_adds_the_profile(paths: Paths) -> None:
    result = run_cli(paths, "add", "instagram:jordan.lee.92")
    assert result.status == ExitStatus.OK, result.stderr
    assert "  - instagram: jordan.lee.92\n" in paths.config.read_text()


def test_a_list_holding_a_page_under_sites_is_refused_by_check_with_its_place(
    paths: Paths,
) -> None:
    paths.config.write_text(block_list(sites="  - https://www.instagram.com/jordan.lee.92/\n"))
    result = run_cli(paths, "check")
    assert result.status == ExitStatus.INVALID
    assert result.stderr.startswith(f"blocker: {paths.config}:6:5: sites[0]: ")
    assert "`instagram: jordan.lee.92`" in result.stderr


def test_a_name_without_its_site_is_asked_which_site_and_nothing_is_written(
    paths: Paths,
) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "@jordanlee")
    assert result.status == ExitStatus.INVALID
    assert result.stderr == (
        "blocker: which site is @jordanlee on? e.g. instagram:jordanlee or tiktok:@jordanlee\n"
    )
    assert paths.config.read_bytes() == before


def test_a_misspelt_platform_is_answered_did_you_mean(paths: Paths) -> None:
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "instagarm:jordan.lee.92")
    assert result.status == ExitStatus.INVALID
    assert result.stderr == (
        "blocker: 'instagarm' is not a platform blocker knows: did you mean instagram?\n"
    )
    assert paths.config.read_bytes() == before
