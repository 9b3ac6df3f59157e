"""What `blocker doctor` says of blocker's extension in Firefox: how to choose it, what
holds without it, and never that it runs in a Firefox that ignores the preference."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.cli import doctor_firefox
from blocker.enforce.firefox import FirefoxExtension, FirefoxPolicyFile

FIREFOX = next(b for b in shipped_browsers() if b.key == "firefox")
PREFIXES = ("instagram.com/alex.example",)
OURS = FirefoxExtension("file:///run/blocker/blocker.xpi", {PREFIXES[0]: "instagram: alex.example"})


@pytest.fixture
def policy_file(tmp_path: Path) -> FirefoxPolicyFile:
    return FirefoxPolicyFile(FIREFOX, tmp_path / "root", tmp_path / "state")


def install(root: Path, folder: str, channel: str) -> None:
    prefs = root / folder.lstrip("/") / "defaults" / "pref"
    prefs.mkdir(parents=True)
    (prefs / "channel-prefs.js").write_text(f'pref("app.update.channel", "{channel}");\n')


def test_only_firefox_esr_is_said_to_honour_the_preference(tmp_path: Path) -> None:
    install(tmp_path, "/usr/lib/firefox-esr", "esr")
    install(tmp_path, "/usr/lib/firefox", "release")
    (tmp_path / "snap" / "firefox").mkdir(parents=True)
    builds = doctor_firefox.firefox_builds(tmp_path, FIREFOX.install_dirs)
    assert [(b.name, b.honours) for b in builds] == [
        ("Firefox ESR (/usr/lib/firefox-esr)", True),
        ("Firefox of the release channel (/usr/lib/firefox)", False),
        ("Firefox (Snap)", False),
    ]


def test_doctor_says_how_to_choose_the_extension_and_what_holds_without_it(
    tmp_path: Path,
) -> None:
    esr = [doctor_firefox.FirefoxBuild("Firefox ESR (/usr/lib/firefox-esr)", True)]
    works, said = doctor_firefox.extension_layer(False, esr, tmp_path / "p", tmp_path / "x")
    assert not works
    assert "firefox: allow_unsigned_addons: true" in said
    assert "every add-on" in said
    assert "refuses a blocked profile's address when it is loaded" in said


def test_doctor_never_claims_the_extension_runs_in_a_release_firefox(tmp_path: Path) -> None:
    snap = [doctor_firefox.FirefoxBuild("Firefox (Snap)", False)]
    works, said = doctor_firefox.extension_layer(True, snap, tmp_path / "p", tmp_path / "x")
    assert not works
    assert "Firefox (Snap): ignores that preference" in said
    assert "does not run there" in said


def test_doctor_says_when_the_extension_and_the_weakened_checks_are_in_force(
    policy_file: FirefoxPolicyFile, tmp_path: Path
) -> None:
    xpi = tmp_path / "blocker.xpi"
    xpi.write_bytes(b"PK")
    xpi.chmod(0o644)
    esr = [doctor_firefox.FirefoxBuild("Firefox ESR (/usr/lib/firefox-esr)", True)]
    _, before = doctor_firefox.extension_layer(True, esr, policy_file.system_file, xpi)
    policy_file.reconcile(PREFIXES, blocking=True, extension=OURS)
    works, during = doctor_firefox.extension_layer(True, esr, policy_file.system_file, xpi)
    assert works
    assert "in force now" in during
    assert "in force now" not in before
    assert "checks no add-on's signature" in during


def test_doctor_warns_that_their_own_extension_settings_leave_ours_disabled_after(
    policy_file: FirefoxPolicyFile, tmp_path: Path
) -> None:
    esr = [doctor_firefox.FirefoxBuild("Firefox ESR (/usr/lib/firefox-esr)", True)]
    policy_file.system_file.parent.mkdir(parents=True)
    policy_file.system_file.write_text('{"policies": {"ExtensionSettings": {"*": {}}}}')
    xpi = tmp_path / "blocker.xpi"
    _, said = doctor_firefox.extension_layer(True, esr, policy_file.system_file, xpi)
    assert "remove it in about:addons" in said
    policy_file.system_file.write_text('{"policies": {"DisableAppUpdate": true}}')
    _, said = doctor_firefox.extension_layer(True, esr, policy_file.system_file, xpi)
    assert "about:addons" not in said
