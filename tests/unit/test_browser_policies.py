"""The browser policy enforcers on real files in a temporary root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blocker.blocklist.browser_catalog import shipped_browsers
from blocker.core.policies import ExtensionInstall
from blocker.enforce.chromium import ASIDE, OUR_FILE, ChromiumPolicyFolder
from blocker.enforce.firefox import FirefoxPolicyFile

BROWSERS = {b.key: b for b in shipped_browsers()}
PREFIXES = ("instagram.com/alex.example",)
PATTERN = "*://*.instagram.com/alex.example*"


@pytest.fixture
def chromium(tmp_path: Path) -> ChromiumPolicyFolder:
    return ChromiumPolicyFolder(BROWSERS["chromium"], tmp_path)


def test_the_chromium_policy_file_is_ours_readable_and_gone_afterwards(
    chromium: ChromiumPolicyFolder,
    tmp_path: Path,
) -> None:
    assert chromium.folder == tmp_path / "etc/chromium/policies/managed"
    assert chromium.reconcile(PREFIXES, blocking=True)
    policy = json.loads(chromium.ours.read_text())
    assert policy["DnsOverHttpsMode"] == "off"
    assert policy["IncognitoModeAvailability"] == 1
    assert policy["BrowserGuestModeEnabled"] is False
    assert "instagram.com/alex.example" in policy["URLBlocklist"]
    assert chromium.ours.stat().st_mode & 0o777 == 0o644
    assert not chromium.reconcile(PREFIXES, blocking=True)  # idempotent
    assert chromium.reconcile(PREFIXES, blocking=False)
    assert not chromium.ours.exists()
    assert not (tmp_path / "etc/chromium/policies").exists()  # no empty folders left


def test_another_files_blocklist_is_carried_so_nothing_is_lost(
    chromium: ChromiumPolicyFolder,
) -> None:
    chromium.folder.mkdir(parents=True)
    theirs = chromium.folder / "company.json"
    theirs.write_text('{"URLBlocklist": ["casino.example"], "HomepageLocation": "x"}')
    chromium.reconcile(PREFIXES, blocking=True)
    assert json.loads(chromium.ours.read_text())["URLBlocklist"][0] == "casino.example"
    chromium.reconcile(PREFIXES, blocking=False)
    assert theirs.read_text() == '{"URLBlocklist": ["casino.example"], "HomepageLocation": "x"}'
    assert [p.name for p in chromium.folder.iterdir()] == ["company.json"]


def test_a_file_that_sorts_after_ours_and_overrides_it_is_reported(
    chromium: ChromiumPolicyFolder,
) -> None:
    chromium.folder.mkdir(parents=True)
    (chromium.folder / "zzzz-late.json").write_text('{"URLBlocklist": []}')
    (chromium.folder / "broken.json").write_text("{not json")
    chromium.reconcile(PREFIXES, blocking=True)
    assert [p.name for p in chromium.overriding_files()] == ["zzzz-late.json"]
    assert OUR_FILE < "zzzz-late.json"


def test_edge_gets_its_private_windows_turned_off_by_the_name_edge_reads(tmp_path: Path) -> None:
    edge = ChromiumPolicyFolder(BROWSERS["edge"], tmp_path)
    edge.reconcile(PREFIXES, blocking=True)
    policy = json.loads(edge.ours.read_text())
    assert policy["InPrivateModeAvailability"] == 1
    assert "IncognitoModeAvailability" not in policy


def test_an_earlier_file_that_allows_private_windows_is_outranked_and_a_later_one_reported(
    chromium: ChromiumPolicyFolder,
) -> None:
    chromium.folder.mkdir(parents=True)
    (chromium.folder / "company.json").write_text('{"IncognitoModeAvailability": 0}')
    chromium.reconcile(PREFIXES, blocking=True)
    assert json.loads(chromium.ours.read_text())["IncognitoModeAvailability"] == 1
    assert chromium.overriding_files() == []
    (chromium.folder / "zzzz-late.json").write_text('{"BrowserGuestModeEnabled": true}')
    assert [p.name for p in chromium.overriding_files()] == ["zzzz-late.json"]
    chromium.reconcile(PREFIXES, blocking=False)
    assert (chromium.folder / "company.json").read_text() == '{"IncognitoModeAvailability": 0}'


@pytest.fixture
def firefox(tmp_path: Path) -> FirefoxPolicyFile:
    return FirefoxPolicyFile(BROWSERS["firefox"], tmp_path / "root", tmp_path / "state")


def test_firefox_gets_a_policies_file_that_disappears_after_the_block(
    firefox: FirefoxPolicyFile,
    tmp_path: Path,
) -> None:
    assert firefox.reconcile(PREFIXES, blocking=True)
    policies = json.loads(firefox.system_file.read_text())["policies"]
    assert policies["WebsiteFilter"]["Block"] == [PATTERN]
    assert policies["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}
    assert policies["DisablePrivateBrowsing"] is True
    assert policies["PrivateBrowsingModeAvailability"] == 1
    assert not firefox.reconcile(PREFIXES, blocking=True)
    assert firefox.reconcile(PREFIXES, blocking=False)
    assert not (tmp_path / "root" / "etc" / "firefox").exists()
    assert not firefox.record.exists()


def test_an_existing_policies_file_is_merged_into_and_restored_byte_for_byte(
    firefox: FirefoxPolicyFile,
) -> None:
    original = b'{"policies": {"DisableTelemetry": true,\n  "WebsiteFilter": {"Block": ["*://casino.example/*"]}}}'
    firefox.system_file.parent.mkdir(parents=True)
    firefox.system_file.write_bytes(original)
    firefox.reconcile(PREFIXES, blocking=True)
    policies = json.loads(firefox.system_file.read_text())["policies"]
    assert policies["DisableTelemetry"] is True
    assert policies["WebsiteFilter"]["Block"] == ["*://casino.example/*", PATTERN]
    firefox.reconcile(PREFIXES, blocking=False)
    assert firefox.system_file.read_bytes() == original


def test_private_windows_the_original_allowed_or_forced_are_off_and_come_back_byte_for_byte(
    firefox: FirefoxPolicyFile,
) -> None:
    for original in (
        b'{"policies": {"DisablePrivateBrowsing": false}}',
        b'{ "policies": {"PrivateBrowsingModeAvailability": 2,\n "DisablePrivateBrowsing": true} }',
    ):
        firefox.system_file.parent.mkdir(parents=True, exist_ok=True)
        firefox.system_file.write_bytes(original)
        firefox.reconcile(PREFIXES, blocking=True)
        policies = json.loads(firefox.system_file.read_text())["policies"]
        assert policies["DisablePrivateBrowsing"] is True
        assert policies["PrivateBrowsingModeAvailability"] == 1
        firefox.reconcile(PREFIXES, blocking=False)
        assert firefox.system_file.read_bytes() == original


def test_private_windows_come_back_as_they_were_when_others_edited_the_file_meanwhile(
    firefox: FirefoxPolicyFile,
) -> None:
    firefox.system_file.parent.mkdir(parents=True)
    firefox.system_file.write_text('{"policies": {"PrivateBrowsingModeAvailability": 0}}')
    firefox.reconcile(PREFIXES, blocking=True)
    data = json.loads(firefox.system_file.read_text())
    data["policies"]["DisablePocket"] = True
    firefox.system_file.write_text(json.dumps(data))
    firefox.reconcile(PREFIXES, blocking=False)
    assert json.loads(firefox.system_file.read_text()) == {
        "policies": {"PrivateBrowsingModeAvailability": 0, "DisablePocket": True}
    }


def test_the_distribution_file_is_used_when_it_is_the_only_one(firefox: FirefoxPolicyFile) -> None:
    distribution = firefox.distribution_files[0]
    distribution.parent.mkdir(parents=True)
    distribution.write_text('{"policies": {"DisableAppUpdate": true}}')
    firefox.reconcile(PREFIXES, blocking=True)
    assert not firefox.system_file.exists()  # creating it would hide the distribution file
    assert PATTERN in distribution.read_text()


def test_edits_made_by_someone_else_during_the_block_are_kept(firefox: FirefoxPolicyFile) -> None:
    firefox.reconcile(PREFIXES, blocking=True)
    data = json.loads(firefox.system_file.read_text())
    data["policies"]["DisablePocket"] = True
    firefox.system_file.write_text(json.dumps(data))
    firefox.reconcile(PREFIXES, blocking=False)
    assert json.loads(firefox.system_file.read_text()) == {"policies": {"DisablePocket": True}}


def test_an_unchanged_block_writes_nothing_to_disk(firefox: FirefoxPolicyFile) -> None:
    firefox.reconcile(PREFIXES, blocking=True)
    written = firefox.record.stat().st_mtime_ns, firefox.system_file.stat().st_mtime_ns
    assert not firefox.reconcile(PREFIXES, blocking=True)
    assert (firefox.record.stat().st_mtime_ns, firefox.system_file.stat().st_mtime_ns) == written


def test_the_extension_entries_keep_what_other_files_set_for_extensions(
    chromium: ChromiumPolicyFolder,
) -> None:
    chromium.folder.mkdir(parents=True)
    (chromium.folder / "company.json").write_text(
        json.dumps(
            {
                "ExtensionInstallForcelist": ["b" * 32 + ";https://example.org/u.xml"],
                "ExtensionSettings": {"*": {"blocked_permissions": ["usb"]}},
                "3rdparty": {"extensions": {"b" * 32: {"server": "example.org"}}},
            }
        )
    )
    ours = ExtensionInstall("a" * 32, "http://127.0.0.1:4711/updates.xml")
    assert chromium.reconcile(PREFIXES, blocking=True, extension=ours)
    policy = json.loads(chromium.ours.read_text())
    assert policy["ExtensionInstallForcelist"][0] == "b" * 32 + ";https://example.org/u.xml"
    assert policy["ExtensionSettings"]["*"] == {"blocked_permissions": ["usb"]}
    assert policy["3rdparty"]["extensions"]["b" * 32] == {"server": "example.org"}
    assert policy["3rdparty"]["extensions"]["a" * 32]["targets"][0]["prefix"] == PREFIXES[0]
    assert not chromium.reconcile(PREFIXES, blocking=True, extension=ours)  # idempotent
    assert chromium.reconcile(PREFIXES, blocking=False)
    assert json.loads((chromium.folder / "company.json").read_text())["ExtensionSettings"]


def test_a_later_file_that_would_override_the_block_waits_aside_and_comes_back_exactly(
    tmp_path: Path,
) -> None:
    folder = ChromiumPolicyFolder(BROWSERS["chromium"], tmp_path)
    folder.folder.mkdir(parents=True)
    theirs = folder.folder / "zzzz-mine.json"
    written = b'{"IncognitoModeAvailability": 0, "URLBlocklist": ["example.org"]}\n'
    theirs.write_bytes(written)
    earlier = folder.folder / "aaa-admin.json"
    earlier.write_bytes(b'{"HomepageLocation": "https://example.org"}\n')
    assert folder.reconcile(("instagram.com/alex.example",), blocking=True)
    assert not theirs.exists()  # out of Chromium's sight while the block is on
    assert (folder.folder / ASIDE / "zzzz-mine.json").read_bytes() == written
    assert earlier.exists()  # sorting before ours, it overrides nothing
    assert "example.org" in folder.our_entries()  # their list still holds, in ours
    assert not folder.reconcile(("instagram.com/alex.example",), blocking=True)
    assert folder.reconcile((), blocking=False)
    assert theirs.read_bytes() == written
    assert sorted(p.name for p in folder.folder.iterdir()) == ["aaa-admin.json", "zzzz-mine.json"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zzzz-mine", b'{"IncognitoModeAvailability": 0}\n'),  # no .json: Chromium reads it
        ("zzzz-mine.json", b'{"URLBlocklist": [],}\n'),  # a trailing comma Chromium forgives
        ("zzzz-mine.json", b'\xef\xbb\xbf{"URLBlocklist": []}\n'),  # a byte-order mark
        ("zzzz-mine.json", b"{ not json at all\n"),  # unreadable, and later than ours
        ("aaa-mine.json", b'{"ExtensionAllowedTypes": ["theme"]}\n'),  # defeats from anywhere
    ],
    ids=["no .json", "trailing comma", "byte-order mark", "unreadable", "allowed types"],
)
def test_a_file_chromium_reads_that_would_undo_the_block_is_set_aside_however_it_is_written(
    tmp_path: Path, name: str, data: bytes
) -> None:
    folder = ChromiumPolicyFolder(BROWSERS["chromium"], tmp_path)
    folder.folder.mkdir(parents=True)
    (folder.folder / name).write_bytes(data)
    folder.reconcile(("instagram.com/alex.example",), blocking=True)
    assert not (folder.folder / name).exists()
    assert (folder.folder / ASIDE / name).read_bytes() == data
    folder.reconcile((), blocking=False)
    assert (folder.folder / name).read_bytes() == data
    assert not (folder.folder / ASIDE).exists()


def test_an_earlier_file_that_sets_other_policies_is_left_in_place(tmp_path: Path) -> None:
    folder = ChromiumPolicyFolder(BROWSERS["chromium"], tmp_path)
    folder.folder.mkdir(parents=True)
    (folder.folder / "aaa-admin").write_bytes(b'{"URLBlocklist": ["example.org"],}\n')
    folder.reconcile(("instagram.com/alex.example",), blocking=True)
    assert (folder.folder / "aaa-admin").exists()
    assert "example.org" in folder.our_entries()  # read as Chromium reads it, carried over


def test_a_system_policies_file_written_during_the_block_takes_the_block_with_it(
    firefox: FirefoxPolicyFile,
) -> None:
    distribution = firefox.distribution_files[0]
    distribution.parent.mkdir(parents=True)
    theirs = b'{"policies": {"DisableAppUpdate": true}}'
    distribution.write_bytes(theirs)
    firefox.reconcile(PREFIXES, blocking=True)
    # Firefox reads this one alone once it is there, and the distribution file no more.
    firefox.system_file.parent.mkdir(parents=True)
    written = b'{"policies": {}}\n'
    firefox.system_file.write_bytes(written)
    assert firefox.reconcile(PREFIXES, blocking=True)
    assert PATTERN in firefox.system_file.read_text()
    assert distribution.read_bytes() == theirs  # back as it was
    firefox.reconcile(PREFIXES, blocking=False)
    assert firefox.system_file.read_bytes() == written
    assert distribution.read_bytes() == theirs
