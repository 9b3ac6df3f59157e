"""blocker's own browser extension, as the daemon ships it: the signing key, the CRX3
package and the loopback server Chromium installs it from, and the XPI package Firefox
installs it from."""

from __future__ import annotations

from dataclasses import dataclass

CRX_NAME = "blocker.crx"
XPI_NAME = "blocker.xpi"
KEY_NAME = "extension-key.pem"  # in the state folder, made once, removed by an uninstall
PORT_NAME = "extension-port"
# Firefox's ID for the extension, the same on every machine: Firefox checks no signature
# of an add-on installed with signature checks off, so a per-machine key (as Chromium's
# ID needs) would protect nothing; what protects the XPI is that only root can write it.
# `.invalid` is a name nobody can register, so no published add-on carries it.
GECKO_ID = "extension@blocker.invalid"


@dataclass(frozen=True)
class Built:
    extension_id: str
    version: str
    crx: bytes
