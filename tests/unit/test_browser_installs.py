"""Browsers as distributions ship them: finding each install under a fake root, and the
policy locations of Snaps and Flatpaks written and taken away like the packages' ones."""

from __future__ import annotations

import json
from pathlib import Path

from blocker.blocklist.browser_catalog import Browser, flatpak_arch, parse_browsers, policy_places
from blocker.enforce.chromium import ChromiumPolicyFolder
from blocker.enforce.firefox import FirefoxPolicyFile
from blocker.enforce.layers import Layers
from blocker.system.paths import Paths
from blocker.system.resources import data_file

SHIPPED = data_file("browsers.yaml")
BROWSERS = {b.key: b for b in parse_browsers(SHIPPED.read_text(), SHIPPED, arch="x86_64")}
PREFIXES = ("instagram.com/alex.example",)


def program(path: Path, text: str = "\x7fELF") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


def test_a_package_is_its_program_on_the_search_path_under_the_root(tmp_path: Path) -> None:
    program(tmp_path / "usr/bin/chromium", '#!/bin/sh\nexec /usr/lib/chromium/chromium "$@"\n')
    (install,) = BROWSERS["chromium"].installs(tmp_path, search_path="/usr/bin:/snap/bin")
    assert install.where == tmp_path / "usr/bin/chromium"
    assert not install.per_user
    assert BROWSERS["chrome"].installs(tmp_path, search_path="/usr/bin") == ()


def test_ubuntus_launcher_of_the_snap_is_not_taken_for_a_package(tmp_path: Path) -> None:
    program(tmp_path / "usr/bin/firefox", '#!/bin/sh\nexec /snap/bin/firefox "$@"\n')
    (tmp_path / "snap/bin").mkdir(parents=True)
    (tmp_path / "snap/bin/firefox").symlink_to("/usr/bin/snap")  # dangling here, as in a copy
    assert BROWSERS["firefox"].installs(tmp_path, search_path="/usr/bin:/snap/bin") == ()
    (snap,) = BROWSERS["firefox-snap"].installs(tmp_path)
    assert snap.where == tmp_path / "snap/bin/firefox"


def test_a_flatpak_for_everyone_and_one_in_a_persons_home_are_told_apart(tmp_path: Path) -> None:
    root, home = tmp_path / "root", tmp_path / "home"
    (root / "var/lib/flatpak/app/org.chromium.Chromium").mkdir(parents=True)
    (home / ".local/share/flatpak/app/org.mozilla.firefox").mkdir(parents=True)
    (system,) = BROWSERS["chromium-flatpak"].installs(root, home)
    assert not system.per_user
    (mine,) = BROWSERS["firefox-flatpak"].installs(root, home)
    assert mine.per_user
    assert mine.where == home / ".local/share/flatpak/app/org.mozilla.firefox"
    assert BROWSERS["firefox-flatpak"].installs(root) == ()  # the daemon does not look there


def test_flatpaks_that_read_the_hosts_folder_share_the_packages_file_of_ours() -> None:
    places = {tuple(b.key for b in group) for group in policy_places(tuple(BROWSERS.values()))}
    assert ("chrome", "chrome-flatpak") in places
    assert ("brave", "brave-flatpak") in places
    assert ("firefox", "firefox-snap") in places
    assert ("chromium-snap",) in places
    assert ("chromium-flatpak",) in places


def test_every_browser_says_where_it_reads_native_messaging_hosts_even_if_nowhere() -> None:
    assert BROWSERS["chromium"].native_hosts == ("/etc/chromium/native-messaging-hosts",)
    assert BROWSERS["brave"].native_hosts == ("/etc/opt/chrome/native-messaging-hosts",)
    assert BROWSERS["chromium-snap"].native_hosts == ()
    assert "/usr/lib64/mozilla/native-messaging-hosts" in BROWSERS["firefox"].native_hosts
    text = SHIPPED.read_text()
    assert text.count("\n  native_hosts:") == len(BROWSERS)


def test_flatpak_paths_name_the_machines_architecture_as_flatpak_does() -> None:
    assert flatpak_arch("amd64") == flatpak_arch("x86_64") == "x86_64"
    assert flatpak_arch("arm64") == "aarch64"
    arm = {b.key: b for b in parse_browsers(SHIPPED.read_text(), SHIPPED, arch="aarch64")}
    assert "/aarch64/1/policies/managed" in arm["chromium-flatpak"].linux
    assert "{arch}" not in "".join(arm["chromium-flatpak"].native_hosts)


def test_the_flatpak_chromium_gets_an_unmanaged_extension_of_blockers_own_that_goes_after(
    tmp_path: Path,
) -> None:
    folder = ChromiumPolicyFolder(BROWSERS["chromium-flatpak"], tmp_path)
    extensions = tmp_path / "var/lib/flatpak/extension"
    ours = extensions / "org.chromium.Chromium.Extension.blocker"
    assert folder.ours == ours / "x86_64/1/policies/managed/zzz-blocker.json"
    assert folder.reconcile(PREFIXES, blocking=True)
    assert json.loads(folder.ours.read_text())["IncognitoModeAvailability"] == 1
    (extensions / "org.chromium.Chromium.Extension.company").mkdir()
    assert folder.reconcile(PREFIXES, blocking=False)
    assert sorted(p.name for p in extensions.iterdir()) == [
        "org.chromium.Chromium.Extension.company"
    ]


def test_the_flatpak_firefox_policies_file_is_its_own_with_its_own_record(tmp_path: Path) -> None:
    package = FirefoxPolicyFile(BROWSERS["firefox"], tmp_path / "root", tmp_path / "state")
    flatpak = FirefoxPolicyFile(BROWSERS["firefox-flatpak"], tmp_path / "root", tmp_path / "state")
    assert package.record.name == "firefox-policies.before-blocker.json"  # as it always was
    assert flatpak.record != package.record
    assert flatpak.reconcile(PREFIXES, blocking=True)
    systemconfig = tmp_path / "root/var/lib/flatpak/extension/org.mozilla.firefox.systemconfig"
    written = json.loads((systemconfig / "x86_64/stable/policies/policies.json").read_text())
    assert written["policies"]["DisablePrivateBrowsing"] is True
    assert flatpak.reconcile(PREFIXES, blocking=False)
    assert not systemconfig.exists()


def reader(key: str, program_name: str) -> Browser:
    return Browser(key, key, "chromium", (program_name,), "/etc/shared/policies/managed", ())


def test_browsers_that_read_one_folder_get_one_file_written_once(tmp_path: Path) -> None:
    paths = Paths.sandbox(tmp_path)
    paths.hosts.write_text("127.0.0.1 localhost\n")
    layers = Layers(paths, (reader("first", "no-such-program-here"), reader("second", "sh")))
    applied = layers.apply(("x.example",), PREFIXES, blocking=True)
    assert applied.browsers_changed == ("first",)  # named after the first that reads it
    assert (paths.root / "etc/shared/policies/managed/zzz-blocker.json").exists()
    assert [p.name for p in layers.policy_paths()].count("zzz-blocker.json") == 1
    assert layers.apply((), (), blocking=False).browsers_changed == ("first",)
