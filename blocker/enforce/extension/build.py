"""blocker's browser extension as Chromium installs it: the sources of `extension/`, the
machine's public key written into the manifest's `key` (so the ID is the same however
the extension is loaded), packed into a CRX3 file; and the same sources as Firefox
installs them, an XPI (see xpi.py)."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from blocker.enforce.extension import CRX_NAME, GECKO_ID, Built, crx, signing, xpi
from blocker.errors import BlockerError
from blocker.system.atomic import write_atomically
from blocker.system.resources import extension_sources


def source_files(folder: Path) -> dict[str, bytes]:
    """Every file of the extension's folder, by its path inside the folder."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def with_key(manifest: bytes, public_key_der: bytes) -> bytes:
    """The manifest with the public key in `key`."""
    data = json.loads(manifest)
    data["key"] = base64.b64encode(public_key_der).decode()
    return (json.dumps(data, indent=2) + "\n").encode()


def build(key: Path, sources: Path | None = None) -> Built:
    """The CRX of the sources signed with `key` (a PEM private key). Blocks on the
    `openssl` processes it runs (a few tens of milliseconds)."""
    files = source_files(sources or extension_sources())
    public = signing.public_key_der(key)
    files["manifest.json"] = with_key(files["manifest.json"], public)
    version = str(json.loads(files["manifest.json"])["version"])
    archive = crx.reproducible_zip(files)
    package = crx.crx3(archive, public, lambda data: signing.sign(key, data))
    return Built(crx.extension_id(public), version, package)


def build_xpi(sources: Path | None = None) -> bytes:
    """The XPI of the sources, for Firefox. ValueError when they are not an extension."""
    return xpi.xpi(source_files(sources or extension_sources()))


def main(argv: Sequence[str] | None = None) -> int:
    """scripts/build-extension: write the CRX (and with --xpi the XPI), print the IDs; 1
    with a message on failure."""
    parser = argparse.ArgumentParser(
        prog="build-extension", description="Pack extension/ into a reproducible CRX3 file."
    )
    parser.add_argument("--key", type=Path, required=True, help="PEM private key (made if absent)")
    parser.add_argument("--out", type=Path, default=Path(CRX_NAME), help="the CRX to write")
    parser.add_argument("--sources", type=Path, help="the extension's folder (extension/)")
    parser.add_argument(
        "--xpi", type=Path, help="also write the Firefox package here (readable by everyone)"
    )
    parser.add_argument("--json", action="store_true", help="print the ID and version as JSON")
    args = parser.parse_args(argv)
    try:
        built = build(signing.ensure_key(args.key), args.sources)
        args.out.write_bytes(built.crx)
        if args.xpi is not None:
            # Firefox runs as the person and reads the XPI itself; only root may change it.
            write_atomically(args.xpi, build_xpi(args.sources), mode=0o644)
    except (BlockerError, OSError, ValueError) as error:
        print(f"build-extension: {error}", file=sys.stderr)
        return 1
    facts = {"id": built.extension_id, "version": built.version}
    if args.xpi is not None:
        facts["gecko_id"] = GECKO_ID
    if args.json:
        print(json.dumps(facts))
    else:
        print(f"{args.out}: extension {built.extension_id}, version {built.version}")
        if args.xpi is not None:
            print(f"{args.xpi}: Firefox extension {GECKO_ID}, version {built.version}")
    return 0


if __name__ == "__main__":  # the daemon builds in a child process (see server.serve)
    sys.exit(main())
