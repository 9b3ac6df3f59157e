"""blocker's extension as Firefox installs it: an XPI of the same sources, with a Firefox
manifest derived from the Chromium one when it is built, the same bytes every time."""

from __future__ import annotations

import io
import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from blocker.enforce.extension import GECKO_ID, crx, xpi
from blocker.enforce.extension.build import build_xpi, main, source_files
from blocker.system.resources import extension_sources

WORKER = (
    b'"use strict";\n'
    b'if (typeof importScripts === "function") {\n'
    b"  importScripts(\"a.js\", 'b.js');\n"
    b"}\n"
)


def sources(manifest: dict[str, object]) -> dict[str, bytes]:
    return {
        "manifest.json": json.dumps(manifest).encode(),
        "background.js": WORKER,
        "a.js": b"",
        "b.js": b"",
        "leave-with-policy.js": b"",
    }


CHROMIUM = {
    "manifest_version": 3,
    "name": "blocker",
    "version": "0.1.0",
    "minimum_chrome_version": "111",
    "key": "MIIB...",
    "background": {"service_worker": "background.js"},
    "permissions": ["storage", "webNavigation"],
}


def test_firefox_runs_the_service_worker_as_an_event_page_after_what_it_imports() -> None:
    manifest = json.loads(xpi.firefox_manifest(sources(CHROMIUM)))
    assert manifest["background"] == {
        "scripts": ["a.js", "b.js", "background.js", "leave-with-policy.js"]
    }
    assert manifest["manifest_version"] == 3


def test_the_firefox_manifest_names_the_stable_id_and_drops_what_only_chromium_reads() -> None:
    manifest = json.loads(xpi.firefox_manifest(sources(CHROMIUM)))
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko == {"id": GECKO_ID, "strict_min_version": xpi.STRICT_MIN_VERSION}
    assert "key" not in manifest
    assert "minimum_chrome_version" not in manifest
    assert manifest["permissions"] == CHROMIUM["permissions"]
    assert manifest["version"] == CHROMIUM["version"]


def test_debians_firefox_esr_meets_the_minimum_version() -> None:
    debian_esr = (153, 8)
    wanted = tuple(int(part) for part in xpi.STRICT_MIN_VERSION.split("."))
    assert wanted <= debian_esr


def test_a_manifest_without_a_service_worker_is_refused() -> None:
    broken = {**CHROMIUM, "background": {"page": "background.html"}}
    with pytest.raises(ValueError, match="service worker"):
        xpi.firefox_manifest(sources(broken))


def test_the_firefox_only_script_must_be_among_the_sources() -> None:
    files = sources(CHROMIUM)
    del files["leave-with-policy.js"]
    with pytest.raises(ValueError, match=r"leave-with-policy\.js"):
        xpi.firefox_manifest(files)


def test_the_xpi_holds_exactly_the_sources_with_the_firefox_manifest() -> None:
    files = source_files(extension_sources())
    with zipfile.ZipFile(io.BytesIO(build_xpi())) as packed:
        assert sorted(packed.namelist()) == sorted(files)
        for name, data in files.items():
            if name != "manifest.json":
                assert packed.read(name) == data, name
        assert packed.read("manifest.json") == xpi.firefox_manifest(files)
        entries = packed.infolist()
    assert {e.date_time for e in entries} == {crx.ZIP_TIME}


def test_building_the_xpi_twice_gives_the_same_bytes() -> None:
    assert build_xpi() == build_xpi()


def test_the_shipped_extension_loads_its_matcher_before_the_worker_in_firefox() -> None:
    manifest = json.loads(xpi.firefox_manifest(source_files(extension_sources())))
    scripts = manifest["background"]["scripts"]
    assert scripts.index("matcher.js") < scripts.index("background.js")


@pytest.mark.skipif(
    shutil.which("openssl") is None, reason="Debian's openssl is needed (scripts/test installs it)"
)
def test_the_build_script_writes_an_xpi_everyone_may_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, out, package = tmp_path / "key.pem", tmp_path / "blocker.crx", tmp_path / "blocker.xpi"
    assert main(["--key", str(key), "--out", str(out), "--xpi", str(package), "--json"]) == 0
    assert package.read_bytes() == build_xpi()
    assert stat.S_IMODE(package.stat().st_mode) == 0o644
    assert json.loads(capsys.readouterr().out)["gecko_id"] == GECKO_ID
