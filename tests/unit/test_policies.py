"""What the browser policies say during a block, for every OS."""

from __future__ import annotations

from blocker.core.policies import (
    CHROMIUM_MAX_ENTRIES,
    ExtensionInstall,
    case_variants,
    chromium_entries,
    chromium_policy,
    firefox_patterns,
)


def test_a_lower_case_profile_also_gets_the_spellings_people_paste() -> None:
    assert case_variants("instagram.com/alex.example") == (
        "instagram.com/Alex.example",
        "instagram.com/Alex.Example",
        "instagram.com/ALEX.EXAMPLE",
    )


def test_ids_and_numbers_keep_their_one_spelling() -> None:
    assert case_variants("youtube.com/channel/UCaBcDeF") == ()
    assert case_variants("messenger.com/t/100000000000001") == ()


def test_other_files_entries_are_kept_and_ours_come_before_their_spellings() -> None:
    result = chromium_entries(("x.com/alex",), others=("casino.example",))
    assert result.entries == ("casino.example", "x.com/alex", "x.com/Alex", "x.com/ALEX")
    assert result.dropped == 0


def test_chromiums_limit_drops_spellings_first_then_reports_what_did_not_fit() -> None:
    many = tuple(f"x.com/user{n}" for n in range(CHROMIUM_MAX_ENTRIES - 1))
    fitted = chromium_entries(many)
    assert len(fitted.entries) == CHROMIUM_MAX_ENTRIES
    assert fitted.entries[: len(many)] == many
    too_many = chromium_entries((*many, "x.com/a", "x.com/b"))
    assert len(too_many.entries) == CHROMIUM_MAX_ENTRIES
    assert too_many.dropped == 1


def test_the_chromium_policy_turns_dns_over_https_off_even_with_no_profiles() -> None:
    assert chromium_policy(())["DnsOverHttpsMode"] == "off"


def test_while_blocking_private_and_guest_windows_are_off_whatever_is_blocked() -> None:
    for prefixes in ((), ("x.com/alex",)):
        policy = chromium_policy(prefixes)
        assert policy["IncognitoModeAvailability"] == 1  # 1: unavailable (2 would force it)
        assert policy["BrowserGuestModeEnabled"] is False


def test_new_profiles_stay_allowed_since_machine_policy_reaches_every_profile() -> None:
    assert "BrowserAddPersonEnabled" not in chromium_policy(("x.com/alex",), extension=EXTENSION)


def test_a_browser_that_renamed_the_private_window_policy_gets_its_own_name() -> None:
    policy = chromium_policy((), private_windows="InPrivateModeAvailability")
    assert policy["InPrivateModeAvailability"] == 1
    assert "IncognitoModeAvailability" not in policy


def test_firefox_patterns_cover_every_scheme_and_subdomain() -> None:
    assert firefox_patterns(("instagram.com/alex.example", "instagram.com/alex.example")) == (
        "*://*.instagram.com/alex.example*",
    )


def test_another_files_allowlist_loses_what_would_open_a_blocked_page() -> None:
    prefixes = ("instagram.com/alex.example",)
    allowed = (
        "instagram.com",
        "https://www.instagram.com/",
        "*",
        "docs.example.org",
        "m.instagram.com",
    )
    policy = chromium_policy(prefixes, (), allowed)
    assert policy["URLAllowlist"] == ["docs.example.org"]
    assert "URLAllowlist" not in chromium_policy(prefixes)


EXTENSION = ExtensionInstall(
    "a" * 32, "http://127.0.0.1:4711/updates.xml", {"instagram.com/alex.example": "instagram: alex"}
)


def test_the_extension_is_force_installed_from_loopback_and_handed_the_labelled_pages() -> None:
    prefixes = ("instagram.com/alex.example", "instagram.com/stories/alex.example")
    policy = chromium_policy(prefixes, extension=EXTENSION)
    assert policy["ExtensionInstallForcelist"] == [f"{'a' * 32};http://127.0.0.1:4711/updates.xml"]
    assert policy["ExtensionSettings"] == {
        "a" * 32: {
            "installation_mode": "force_installed",
            "update_url": "http://127.0.0.1:4711/updates.xml",
        }
    }
    assert policy["3rdparty"] == {
        "extensions": {
            "a" * 32: {
                "version": 1,
                "targets": [
                    {"label": "instagram: alex", "prefix": "instagram.com/alex.example"},
                    {"label": "", "prefix": "instagram.com/stories/alex.example"},
                ],
            }
        }
    }
    assert "URLBlocklist" in policy  # still refuses typed addresses


def test_other_files_extensions_are_kept_beside_ours() -> None:
    theirs = ExtensionInstall(
        EXTENSION.extension_id,
        EXTENSION.update_url,
        others_forced=("b" * 32 + ";https://example.org/u.xml", "a" * 32 + ";http://old/u.xml"),
        others_settings={"*": {"installation_mode": "blocked"}, "a" * 32: {"x": 1}},
        others_extensions={"b" * 32: {"colour": "green"}},
    )
    policy = chromium_policy(("x.com/alex",), extension=theirs)
    assert policy["ExtensionInstallForcelist"] == [
        "b" * 32 + ";https://example.org/u.xml",
        f"{'a' * 32};http://127.0.0.1:4711/updates.xml",
    ]
    settings = policy["ExtensionSettings"]
    assert isinstance(settings, dict)
    assert settings["*"] == {"installation_mode": "blocked"}
    assert settings["a" * 32]["installation_mode"] == "force_installed"
    third_party = policy["3rdparty"]
    assert isinstance(third_party, dict)
    assert set(third_party["extensions"]) == {"a" * 32, "b" * 32}


def test_no_extension_is_named_without_pages_to_stop_or_without_a_server() -> None:
    assert "ExtensionInstallForcelist" not in chromium_policy((), extension=EXTENSION)
    assert "ExtensionInstallForcelist" not in chromium_policy(("x.com/alex",))
