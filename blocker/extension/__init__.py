"""blocker's own browser extension, as the daemon ships it: the signing key, the CRX3
package and the loopback server Chromium installs it from."""

from __future__ import annotations

from dataclasses import dataclass

CRX_NAME = "blocker.crx"


@dataclass(frozen=True)
class Built:
    extension_id: str
    version: str
    crx: bytes
