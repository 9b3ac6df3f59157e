"""blocker's extension in Firefox's policies.json: only where the block list allows
unsigned add-ons, merged with what other programs set for add-ons, and the person's file
back byte for byte when the block ends. With the setting it reads, validated like the
others, and its place among loosenings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.core.loosening import loosenings, tightened
from blocker.core.plan import everything
from blocker.core.policies import extension_value
from blocker.enforce.extension import GECKO_ID
from blocker.enforce.firefox import (
    SIGNATURES_OFF,
    SIGNATURES_PREFERENCE,
    FirefoxExtension,
    FirefoxPolicyFile,
    extension_entries,
    merged,
    without_ours,
)
from blocker.errors import ConfigError
from tests.helpers import block_list, config_from

FIREFOX = next(b for b in shipped_browsers() if b.key == "firefox")
PREFIXES = ("instagram.com/alex.example",)
PATTERNS = ("*://*.instagram.com/alex.example*",)
LABELS = {PREFIXES[0]: "instagram: alex.example"}
OURS = FirefoxExtension("file:///run/blocker/blocker.xpi", LABELS)
# Another program's policies, with add-on settings of its own in every place ours go.
THEIRS = {
    "policies": {
        "DisableAppUpdate": True,
        "ExtensionSettings": {"*": {"installation_mode": "blocked"}},
        "3rdparty": {"Extensions": {"other@example.org": {"server": "example.org"}}},
        "Preferences": {"browser.startup.homepage": {"Value": "about:blank"}},
    }
}
SETTING = "firefox:\n  allow_unsigned_addons: true\n"
PROFILE = "  - instagram: alex.example\n"


@pytest.fixture
def policy_file(tmp_path: Path) -> FirefoxPolicyFile:
    return FirefoxPolicyFile(FIREFOX, tmp_path / "root", tmp_path / "state")


def written(policy_file: FirefoxPolicyFile) -> dict[str, Any]:
    policies: dict[str, Any] = json.loads(policy_file.system_file.read_text())["policies"]
    return policies


# -- the policy -------------------------------------------------------------------------
def test_the_extension_is_force_installed_from_the_file_with_the_pages_as_managed_storage() -> None:
    policies = merged({}, PATTERNS, extension_entries(PREFIXES, OURS))["policies"]
    assert policies["ExtensionSettings"][GECKO_ID] == {
        "installation_mode": "force_installed",
        "install_url": "file:///run/blocker/blocker.xpi",
        "private_browsing": True,
    }
    # The same value Chromium's policy hands the extension.
    assert policies["3rdparty"]["Extensions"][GECKO_ID] == extension_value(PREFIXES, LABELS)
    assert policies["Preferences"][SIGNATURES_PREFERENCE] == SIGNATURES_OFF
    assert policies["WebsiteFilter"]["Block"] == list(PATTERNS)  # typed addresses still


def test_other_programs_add_on_settings_survive_the_merge() -> None:
    policies = merged(THEIRS, PATTERNS, extension_entries(PREFIXES, OURS))["policies"]
    assert policies["ExtensionSettings"]["*"] == {"installation_mode": "blocked"}
    assert policies["3rdparty"]["Extensions"]["other@example.org"] == {"server": "example.org"}
    assert policies["Preferences"]["browser.startup.homepage"] == {"Value": "about:blank"}
    assert policies["DisableAppUpdate"] is True


def test_taking_ours_out_leaves_exactly_their_policies() -> None:
    ours = merged(THEIRS, PATTERNS, extension_entries(PREFIXES, OURS))
    assert without_ours(ours, THEIRS, list(PATTERNS)) == THEIRS
    alone = merged({}, PATTERNS, extension_entries(PREFIXES, OURS))
    assert without_ours(alone, {}, list(PATTERNS)) == {"policies": {}}


def test_a_preference_the_person_had_is_given_back_as_it_was() -> None:
    before = {"policies": {"Preferences": {SIGNATURES_PREFERENCE: {"Value": True}}}}
    ours = merged(before, PATTERNS, extension_entries(PREFIXES, OURS))
    assert ours["policies"]["Preferences"][SIGNATURES_PREFERENCE] == SIGNATURES_OFF
    assert without_ours(ours, before, list(PATTERNS)) == before


def test_a_malformed_value_of_theirs_where_ours_goes_is_given_back_as_it_was() -> None:
    before = {"policies": {"3rdparty": "not an object"}}
    ours = merged(before, PATTERNS, extension_entries(PREFIXES, OURS))
    assert ours["policies"]["3rdparty"]["Extensions"][GECKO_ID]
    assert without_ours(ours, before, list(PATTERNS)) == before


def test_without_the_setting_firefox_gets_no_extension_and_no_weakened_signatures(
    policy_file: FirefoxPolicyFile,
) -> None:
    assert policy_file.reconcile(PREFIXES, blocking=True, extension=None)
    policies = written(policy_file)
    assert "ExtensionSettings" not in policies
    assert "3rdparty" not in policies
    assert "Preferences" not in policies
    assert policies["WebsiteFilter"] == {"Block": list(PATTERNS)}


def test_with_only_whole_sites_blocked_firefox_gets_no_extension(
    policy_file: FirefoxPolicyFile,
) -> None:
    policy_file.reconcile((), blocking=True, extension=OURS)
    assert "Preferences" not in written(policy_file)


def test_with_the_setting_the_persons_file_is_back_byte_for_byte_when_the_block_ends(
    policy_file: FirefoxPolicyFile,
) -> None:
    original = (json.dumps(THEIRS, indent=4) + "\n").encode()  # their own formatting
    policy_file.system_file.parent.mkdir(parents=True)
    policy_file.system_file.write_bytes(original)
    assert policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    assert GECKO_ID in written(policy_file)["ExtensionSettings"]
    assert not policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)  # idempotent
    assert policy_file.reconcile(PREFIXES, blocking=False)
    assert policy_file.system_file.read_bytes() == original
    assert not policy_file.record.exists()


def test_with_the_setting_a_file_blocker_made_is_gone_when_the_block_ends(
    policy_file: FirefoxPolicyFile, tmp_path: Path
) -> None:
    policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    policy_file.reconcile(PREFIXES, blocking=False)
    assert not (tmp_path / "root" / "etc" / "firefox").exists()


def test_turning_the_setting_off_during_the_block_takes_the_extension_and_preference_out(
    policy_file: FirefoxPolicyFile,
) -> None:
    policy_file.system_file.parent.mkdir(parents=True)
    policy_file.system_file.write_text(json.dumps(THEIRS))
    policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    assert policy_file.reconcile(PREFIXES, blocking=True, extension=None)
    policies = written(policy_file)
    assert policies["ExtensionSettings"] == THEIRS["policies"]["ExtensionSettings"]
    assert policies["3rdparty"] == THEIRS["policies"]["3rdparty"]
    assert policies["Preferences"] == THEIRS["policies"]["Preferences"]
    assert policies["WebsiteFilter"] == {"Block": list(PATTERNS)}


def test_a_lost_record_never_leaves_firefoxs_signature_checks_off_after_the_block(
    policy_file: FirefoxPolicyFile,
) -> None:
    policy_file.system_file.parent.mkdir(parents=True)
    policy_file.system_file.write_text(json.dumps(THEIRS))
    policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    policy_file.record.unlink()  # the person deleted blocker's state
    policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    policy_file.reconcile(PREFIXES, blocking=False)
    policies = written(policy_file)
    assert policies["ExtensionSettings"] == THEIRS["policies"]["ExtensionSettings"]
    assert policies["3rdparty"] == THEIRS["policies"]["3rdparty"]
    assert policies["Preferences"] == THEIRS["policies"]["Preferences"]


# -- the setting ------------------------------------------------------------------------
def test_unsigned_add_ons_are_never_allowed_unless_the_list_says_so() -> None:
    assert not config_from(block_list(profiles=PROFILE)).firefox_unsigned_addons
    assert config_from(block_list(profiles=PROFILE, extra=SETTING)).firefox_unsigned_addons
    assert everything(
        config_from(block_list(profiles=PROFILE, extra=SETTING))
    ).firefox_unsigned_addons


@pytest.mark.parametrize(
    ("extra", "where", "said"),
    [
        ("firefox:\n  allow_unsigned_addons: sure\n", "blocklist.yaml:5:26", "true or false"),
        ("firefox:\n  unsigned_addons: true\n", "blocklist.yaml:5:3", "did you mean"),
        ("firefox: true\n", "blocklist.yaml:4:10", "Firefox settings"),
    ],
)
def test_a_mistake_in_the_setting_is_named_by_file_line_and_column(
    extra: str, where: str, said: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from(block_list(profiles=PROFILE, extra=extra))
    assert where in str(caught.value)
    assert said in str(caught.value)


def test_turning_the_setting_off_is_a_loosening_and_turning_it_on_applies_at_once() -> None:
    off = config_from(block_list(profiles=PROFILE))
    on = config_from(block_list(profiles=PROFILE, extra=SETTING))
    assert loosenings(on, off) == ("take blocker's extension out of Firefox",)
    assert loosenings(off, on) == ()
    assert tightened(on, off).firefox_unsigned_addons
