"""`blocker add`, run in-process against a sandbox: a fresh mistake is answered with what
to type instead, and the list on disk keeps what is blocked, in words the person can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blocker.errors import ExitStatus
from blocker.system.paths import Paths
from tests.helpers import block_list, run_cli, sandbox_paths
from tests.unit.test_cli import AFTER_THE_PERIOD, PROFILES, SITES  # the same list as there


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
        "`blocker add instagram:jordan.lee.92`, or paste the address without --site\n"
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
    assert "is not a site's name alone: write `blocker add --site alex" in result.stderr
    assert paths.config.read_bytes() == before


def test_a_removal_given_a_profiles_path_as_a_site_suggests_the_removal_of_the_profile(
    paths: Paths,
) -> None:
    result = run_cli(paths, "remove", "--site", "https://www.instagram.com/alex.example/")
    assert result.status == ExitStatus.INVALID
    assert "to take off the profile, run `blocker remove instagram:alex.example`" in result.stderr


def test_the_suggested_profile_form_then_adds_the_profile(paths: Paths) -> None:
    result = run_cli(paths, "add", "instagram:jordan.lee.92")
    assert result.status == ExitStatus.OK, result.stderr
    assert "  - instagram: jordan.lee.92\n" in paths.config.read_text()


def test_a_list_holding_a_page_under_sites_still_reads_and_check_warns_with_its_place(
    paths: Paths,
) -> None:
    paths.config.write_text(block_list(sites="  - https://www.instagram.com/jordan.lee.92/\n"))
    result = run_cli(paths, "check")
    assert result.status == ExitStatus.OK  # an earlier blocker accepted it: it must read
    assert result.stderr.startswith(f"warning: {paths.config}:6:5: sites[0]: ")
    assert "`instagram: jordan.lee.92`" in result.stderr
    assert "until it is changed, all of instagram.com is blocked" in result.stderr


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


@pytest.mark.parametrize(
    ("pasted", "written"),
    [
        (
            "https://www.instagram.com/jordan.lee.92/?igsh=MXRhbmd0ZWxsYXNk",
            "instagram: jordan.lee.92",
        ),
        (
            "https://www.tiktok.com/@jordanlee/video/7300000000000000001?lang=en",
            "tiktok: jordanlee",
        ),
        ("https://mobile.twitter.com/jordanlee/status/123?s=20", "x: jordanlee"),
        ("tiktok:@jordanlee", "tiktok: jordanlee"),
        (
            "https://www.facebook.com/profile.php?id=100000000000001&sk=photos",
            "facebook.com/profile.php?id=100000000000001",
        ),
        (
            "https://www.instagram.com/direct/t/340282366841710300/",
            "instagram.com/direct/t/340282366841710300",
        ),
    ],
)
def test_the_list_keeps_what_is_blocked_not_the_raw_paste(
    paths: Paths, pasted: str, written: str
) -> None:
    before = paths.config.read_text()
    result = run_cli(paths, "add", pasted)
    assert result.status == ExitStatus.OK, result.stderr
    assert paths.config.read_text() == before.replace(PROFILES, f"{PROFILES}  - {written}\n")
    assert run_cli(paths, "check").status == ExitStatus.OK


def test_a_site_is_written_as_its_name_in_its_own_letters(paths: Paths) -> None:
    result = run_cli(paths, "add", "--site", "https://www.Bücher.example/")
    assert result.status == ExitStatus.OK, result.stderr
    text = paths.config.read_text(encoding="utf-8")
    assert text.endswith("  - alexblog.example.com\n  - bücher.example\n")
    assert "\\x" not in text
    plan = json.loads(run_cli(paths, "plan", "--json").stdout)
    assert "www.xn--bcher-kva.example" in plan["domains"]


@pytest.mark.parametrize(
    "again", ["https://www.tiktok.com/@jordanlee/video/7300000000000000001", "tiktok:jordanlee"]
)
def test_an_entry_written_clean_is_removed_by_the_paste_or_the_clean_form(
    paths: Paths, again: str
) -> None:
    before = paths.config.read_text()
    run_cli(paths, "add", "https://www.tiktok.com/@jordanlee/video/7300000000000000001?lang=en")
    result = run_cli(paths, "remove", again, now=AFTER_THE_PERIOD)
    assert result.status == ExitStatus.OK, result.stderr
    assert paths.config.read_text() == before


def test_the_pasted_spelling_reaches_chromiums_policy_file(paths: Paths) -> None:
    result = run_cli(paths, "add", "https://x.com/JordanLee92")
    assert result.status == ExitStatus.OK, result.stderr
    assert "  - x: JordanLee92\n" in paths.config.read_text()
    assert run_cli(paths, "run", "--once").status == ExitStatus.OK
    policy = paths.root / "etc/chromium/policies/managed/zzz-blocker.json"
    blocked = json.loads(policy.read_text())["URLBlocklist"]
    assert {"x.com/JordanLee92", "x.com/jordanlee92", "x.com/JORDANLEE92"} <= set(blocked)
    assert "twitter.com/JordanLee92" in blocked


def test_the_same_person_in_another_spelling_is_already_listed(paths: Paths) -> None:
    run_cli(paths, "add", "https://x.com/JordanLee92")
    before = paths.config.read_bytes()
    result = run_cli(paths, "add", "x:jordanlee92")
    assert "already on your block list" in result.stdout
    assert paths.config.read_bytes() == before
    removed = run_cli(paths, "remove", "x.com/jordanlee92", now=AFTER_THE_PERIOD)
    assert removed.status == ExitStatus.OK, removed.stderr
    assert "JordanLee92" not in paths.config.read_text()


def test_a_new_spelling_of_someone_listed_is_added_and_blocked_as_one_entry(
    paths: Paths,
) -> None:
    run_cli(paths, "add", "x:jordanlee92")
    result = run_cli(paths, "add", "https://x.com/JordanLee92")
    assert result.status == ExitStatus.OK, result.stderr
    assert "  - x: jordanlee92\n  - x: JordanLee92\n" in paths.config.read_text()
    checked = run_cli(paths, "check")
    assert (checked.status, checked.stderr) == (ExitStatus.OK, "")
    listed = json.loads(run_cli(paths, "list", "--json").stdout)
    assert [p["label"] for p in listed["profiles"]].count("x: jordanlee92") == 1
    plan = json.loads(run_cli(paths, "plan", "--json").stdout)
    assert {"x.com/jordanlee92", "x.com/JordanLee92"} <= set(plan["url_prefixes"])
    assert "already on your block list" in run_cli(paths, "add", "x.com/JordanLee92").stdout
    removed = run_cli(paths, "remove", "x:jordanlee92", now=AFTER_THE_PERIOD)
    assert removed.status == ExitStatus.OK, removed.stderr
    assert "jordanlee92" not in paths.config.read_text().lower()
