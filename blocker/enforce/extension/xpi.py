"""blocker's extension as Firefox installs it: the sources of `extension/` with a manifest
for Firefox derived from the Chromium one when it is built, zipped reproducibly into an
XPI (an unsigned one: Mozilla signs only what it hosts or reviews).

What Firefox needs otherwise (measured with Firefox ESR 153):
* Manifest V3 with `background.scripts` (an event page): Firefox has no extension service
  worker. The scripts the worker loads with importScripts are listed before it instead.
* `browser_specific_settings.gecko.id`: the policy and the managed storage name the
  extension by it.
* `leave-with-policy.js`, a background script of Firefox's only (see that file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from blocker.enforce.extension import GECKO_ID, crx

# The ESR before Debian's 153 (where all of this was measured; 140 was not): Manifest V3
# event pages came with Firefox 109 and managed storage from the policy long before.
STRICT_MIN_VERSION = "140.0"
FIREFOX_ONLY_SCRIPTS = ("leave-with-policy.js",)
CHROMIUM_ONLY_KEYS = ("key", "minimum_chrome_version", "update_url")
_IMPORT_CALL = re.compile(r"\bimportScripts\s*\(([^)]*)\)")
_STRING = re.compile(r"""["']([^"']+)["']""")


def imported_scripts(worker: str) -> list[str]:
    """The scripts a service worker's source loads with importScripts, in order."""
    names: list[str] = []
    for call in _IMPORT_CALL.finditer(worker):
        names.extend(_STRING.findall(call[1]))
    return list(dict.fromkeys(names))


def firefox_manifest(files: Mapping[str, bytes]) -> bytes:
    """Firefox's manifest for the sources `files` (name -> bytes, with the Chromium
    `manifest.json`). ValueError when the background is not one service worker."""
    data = json.loads(files["manifest.json"])
    for key in CHROMIUM_ONLY_KEYS:
        data.pop(key, None)
    background = data.get("background") or {}
    worker = background.get("service_worker")
    if not isinstance(worker, str) or worker not in files:
        raise ValueError("the extension's manifest names no service worker among its files")
    missing = [name for name in FIREFOX_ONLY_SCRIPTS if name not in files]
    if missing:
        raise ValueError(f"the extension's Firefox scripts are missing: {', '.join(missing)}")
    scripts = [*imported_scripts(files[worker].decode()), worker]
    data["background"] = {"scripts": [*scripts, *FIREFOX_ONLY_SCRIPTS]}
    data["browser_specific_settings"] = {
        "gecko": {"id": GECKO_ID, "strict_min_version": STRICT_MIN_VERSION}
    }
    return (json.dumps(data, indent=2) + "\n").encode()


def xpi(files: Mapping[str, bytes]) -> bytes:
    """The XPI of the sources: same sources, same bytes."""
    packed = dict(files)
    packed["manifest.json"] = firefox_manifest(files)
    return crx.reproducible_zip(packed)
