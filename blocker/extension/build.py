"""blocker's browser extension as Chromium installs it: the sources of `extension/`, the
machine's public key written into the manifest's `key` (so the ID is the same however
the extension is loaded), packed into a CRX3 file."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from blocker.errors import BlockerError
from blocker.extension import CRX_NAME, Built, crx, signing
from blocker.resources import extension_sources


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


def main(argv: Sequence[str] | None = None) -> int:
    """scripts/build-extension: write the CRX, print its ID; 1 with a message on failure."""
    parser = argparse.ArgumentParser(
        prog="build-extension", description="Pack extension/ into a reproducible CRX3 file."
    )
    parser.add_argument("--key", type=Path, required=True, help="PEM private key (made if absent)")
    parser.add_argument("--out", type=Path, default=Path(CRX_NAME), help="the CRX to write")
    parser.add_argument("--sources", type=Path, help="the extension's folder (extension/)")
    parser.add_argument("--json", action="store_true", help="print the ID and version as JSON")
    args = parser.parse_args(argv)
    try:
        built = build(signing.ensure_key(args.key), args.sources)
        args.out.write_bytes(built.crx)
    except (BlockerError, OSError) as error:
        print(f"build-extension: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"id": built.extension_id, "version": built.version}))
    else:
        print(f"{args.out}: extension {built.extension_id}, version {built.version}")
    return 0


if __name__ == "__main__":  # the daemon builds in a child process (see server.serve)
    sys.exit(main())
