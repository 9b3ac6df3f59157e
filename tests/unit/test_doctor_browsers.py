"""`blocker doctor`'s browser rows, from installs found under a fake machine root: one row
per install, ✓ where blocker's policy reaches it and the whole block holds, ✗ and why."""

from __future__ import annotations

from pathlib import Path

from blocker.blocklist.browser_catalog import parse_browsers
from blocker.cli import doctor, doctor_browsers
from blocker.system.paths import Paths
from blocker.system.resources import data_file

SHIPPED = data_file("browsers.yaml")
BROWSERS = parse_browsers(SHIPPED.read_text(), SHIPPED, arch="x86_64")


def program(path: Path, text: str = "\x7fELF") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


def snap(machine: Path, name: str) -> None:
    (machine / "snap/bin").mkdir(parents=True, exist_ok=True)
    (machine / "snap/bin" / name).symlink_to("/usr/bin/snap")


def rows(machine: Path, home: Path, paths: Paths) -> dict[str, doctor.Layer]:
    found = doctor_browsers.browser_layers(BROWSERS, paths, set(), machine=machine, home=home)
    return {layer.name: layer for layer in found}


def test_each_install_is_one_row_saying_what_holds_there(tmp_path: Path) -> None:
    machine, home = tmp_path / "machine", tmp_path / "home"
    paths = Paths.sandbox(tmp_path / "sandbox")
    program(machine / "usr/bin/chromium", "#!/bin/sh\nexec /usr/lib/chromium/chromium\n")
    snap(machine, "firefox")
    (machine / "var/lib/flatpak/app/com.brave.Browser").mkdir(parents=True)
    (home / ".local/share/flatpak/app/org.chromium.Chromium").mkdir(parents=True)

    found = rows(machine, home, paths)
    assert set(found) == {
        "Chromium",
        "Firefox (Snap)",
        "Brave (Flatpak)",
        "Chromium (Flatpak), installed for you only",
    }
    assert found["Chromium"].works
    assert str(paths.root / "etc/chromium/policies/managed") in found["Chromium"].detail
    assert not found["Firefox (Snap)"].works
    assert found["Firefox (Snap)"].detail.startswith(
        "release Firefox installs only Mozilla-signed add-ons"
    )
    assert "WebsiteFilter" in found["Firefox (Snap)"].detail
    brave = found["Brave (Flatpak)"]
    assert brave.works
    assert str(paths.root / "etc/brave/policies/managed") in brave.detail
    assert doctor_browsers.RESTART_FLATPAK in brave.detail
    mine = found["Chromium (Flatpak), installed for you only"]
    assert not mine.works
    assert "flatpak install --system" in mine.detail

    absent = doctor_browsers.browsers_not_found(BROWSERS, machine, home)
    assert "Google Chrome" in absent
    assert "Chromium" not in absent
    assert "not found here: Google Chrome" in doctor.report_text([], absent)


def test_a_per_user_flatpak_reading_the_hosts_folder_is_covered_by_the_packages_file(
    tmp_path: Path,
) -> None:
    machine, home = tmp_path / "machine", tmp_path / "home"
    paths = Paths.sandbox(tmp_path / "sandbox")
    (home / ".local/share/flatpak/app/com.google.Chrome").mkdir(parents=True)
    assert not rows(machine, home, paths)["Google Chrome (Flatpak), installed for you only"].works
    program(machine / "usr/bin/google-chrome")  # the package: the daemon writes its folder
    assert rows(machine, home, paths)["Google Chrome (Flatpak), installed for you only"].works


def test_the_firefox_snap_is_missed_where_the_packages_distribution_file_is_used(
    tmp_path: Path,
) -> None:
    machine, home = tmp_path / "machine", tmp_path / "home"
    paths = Paths.sandbox(tmp_path / "sandbox")
    program(machine / "usr/bin/firefox")
    snap(machine, "firefox")
    distribution = paths.root / "usr/lib/firefox/distribution/policies.json"
    distribution.parent.mkdir(parents=True)
    distribution.write_text('{"policies": {"DisableAppUpdate": true}}')
    found = rows(machine, home, paths)
    assert str(distribution) in found["Firefox"].detail
    assert found["Firefox (Snap)"].detail.startswith(
        f"it reads only {paths.root / 'etc/firefox/policies/policies.json'}"
    )
