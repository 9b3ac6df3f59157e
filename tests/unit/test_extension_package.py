"""blocker's extension as a CRX3 file: reproducible, signed by the machine's key, and
holding exactly the sources of extension/."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from blocker.enforce.extension import crx, signing
from blocker.enforce.extension.build import build, main, source_files
from blocker.system.resources import extension_sources

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="Debian's openssl is needed (scripts/test installs it)"
)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signing.ensure_key(tmp_path_factory.mktemp("key") / "extension-key.pem")


def test_building_twice_gives_the_same_bytes_and_the_id_the_key_says(key: Path) -> None:
    first, second = build(key), build(key)
    assert first.crx == second.crx
    public = signing.public_key_der(key)
    assert first.extension_id == crx.extension_id(public)
    assert len(first.extension_id) == 32
    assert set(first.extension_id) <= set("abcdefghijklmnop")


def test_the_crx_holds_exactly_the_sources_with_the_key_in_the_manifest(key: Path) -> None:
    built = build(key)
    public, _, _, archive = crx.read_crx3(built.crx)
    sources = source_files(extension_sources())
    with zipfile.ZipFile(io.BytesIO(archive)) as packed:
        assert sorted(packed.namelist()) == sorted(sources)
        for name, data in sources.items():
            if name != "manifest.json":
                assert packed.read(name) == data, name
        manifest = json.loads(packed.read("manifest.json"))
    source_manifest = json.loads(sources["manifest.json"])
    assert {k: v for k, v in manifest.items() if k != "key"} == source_manifest
    assert manifest["key"] == __import__("base64").b64encode(public).decode()
    assert manifest["version"] == built.version


def test_the_header_is_signed_by_the_key_and_names_the_id(key: Path, tmp_path: Path) -> None:
    built = build(key)
    public, signature, signed_header_data, archive = crx.read_crx3(built.crx)
    assert public == signing.public_key_der(key)
    # SignedData { crx_id: first 16 bytes of the key's SHA-256 }, field 1.
    assert signed_header_data == b"\x0a\x10" + hashlib.sha256(public).digest()[:16]
    message = crx.signed_message(signed_header_data, archive)
    assert signing.verify(public, signature, message, tmp_path)
    assert not signing.verify(public, signature, message + b"x", tmp_path)


def test_another_key_gives_another_id(key: Path, tmp_path: Path) -> None:
    other = signing.ensure_key(tmp_path / "other.pem")
    assert build(other).extension_id != build(key).extension_id


def test_the_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = signing.ensure_key(tmp_path / "state" / "extension-key.pem")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = path.read_bytes()
    signing.ensure_key(path)
    assert path.read_bytes() == made


def test_zip_entries_carry_no_trace_of_the_checkout() -> None:
    archive = crx.reproducible_zip({"b.js": b"b", "a.js": b"a"})
    with zipfile.ZipFile(io.BytesIO(archive)) as packed:
        entries = packed.infolist()
    assert [e.filename for e in entries] == ["a.js", "b.js"]
    assert {e.date_time for e in entries} == {crx.ZIP_TIME}
    assert {e.external_attr >> 16 for e in entries} == {0o644}


def test_the_build_script_writes_the_crx_and_says_its_id(
    key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "blocker.crx"
    assert main(["--key", str(key), "--out", str(out)]) == 0
    assert out.read_bytes() == build(key).crx
    assert build(key).extension_id in capsys.readouterr().out


def test_a_read_of_something_else_than_a_crx3_file_is_refused() -> None:
    with pytest.raises(ValueError, match="CRX3"):
        crx.read_crx3(b"PK\x03\x04 a zip, not a crx")
