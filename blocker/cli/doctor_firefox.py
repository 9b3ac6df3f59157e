"""What `blocker doctor` says of blocker's extension in Firefox: whether the block list
lets blocker turn Firefox's add-on signature checks off for it, which of this machine's
Firefox builds honour that, and whether it is in force now.

Firefox installs an add-on that Mozilla has not signed only where the preference
`xpinstall.signatures.required` can be turned off: Firefox ESR (Debian's firefox-esr)
honours it; the release and beta builds Mozilla publishes (Ubuntu's Snap, the Flatpak,
Mozilla's own packages) ignore it and install only what Mozilla signed."""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blocker.enforce.extension import GECKO_ID
from blocker.enforce.firefox import SIGNATURES_PREFERENCE

NAME = "Firefox: blocker's extension"
SETTING = "`firefox: allow_unsigned_addons: true`"
_CHANNEL = re.compile(r"""pref\(\s*["']app\.update\.channel["']\s*,\s*["']([^"']*)["']""")


@dataclass(frozen=True)
class FirefoxBuild:
    name: str  # as the person knows it: "Firefox ESR (/usr/lib/firefox-esr)", "Firefox (Snap)"
    honours: bool  # installs an unsigned add-on once the preference is off


def firefox_builds(root: Path, install_dirs: tuple[str, ...]) -> list[FirefoxBuild]:
    """The Firefox builds under `root` (the machine's / outside tests), by the update
    channel each install names, and the Snap and the Flatpak by where they live."""
    builds = []
    for folder in install_dirs:
        prefs = root / folder.lstrip("/") / "defaults" / "pref" / "channel-prefs.js"
        try:
            found = _CHANNEL.search(prefs.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        channel = found[1] if found else "unknown"
        if channel == "esr":
            builds.append(FirefoxBuild(f"Firefox ESR ({folder})", honours=True))
        else:
            builds.append(FirefoxBuild(f"Firefox of the {channel} channel ({folder})", False))
    if (root / "snap" / "firefox").exists():
        builds.append(FirefoxBuild("Firefox (Snap)", honours=False))
    if (root / "var/lib/flatpak/app/org.mozilla.firefox").exists():
        builds.append(FirefoxBuild("Firefox (Flatpak)", honours=False))
    return builds


def _policies(path: Path) -> dict[str, Any]:
    """The policies of a policies.json; empty when it is missing or not what Firefox reads."""
    try:
        found = json.loads(path.read_text(encoding="utf-8")).get("policies")
    except (OSError, ValueError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def _mapping(policies: dict[str, Any], name: str) -> dict[str, Any]:
    found = policies.get(name)
    return found if isinstance(found, dict) else {}


def in_force(policies: Path) -> bool:
    """Whether the policies.json installs blocker's extension with signature checks off."""
    found = _policies(policies)
    preference = _mapping(found, "Preferences").get(SIGNATURES_PREFERENCE)
    return GECKO_ID in _mapping(found, "ExtensionSettings") and preference is not None


def sets_other_extensions(policies: Path) -> bool:
    """Whether the policies.json has ExtensionSettings of its own: then Firefox re-checks
    every add-on's signature when it starts (measured with ESR 153)."""
    return any(key != GECKO_ID for key in _mapping(_policies(policies), "ExtensionSettings"))


def readable_by_everyone(path: Path) -> bool:
    """Whether a program of any user can read `path` (Firefox runs as the person)."""
    try:
        if not path.stat().st_mode & stat.S_IROTH:
            return False
        return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.absolute().parents)
    except OSError:
        return False


def extension_layer(
    chosen: bool | None, builds: list[FirefoxBuild], policies: Path, xpi: Path
) -> tuple[bool, str]:
    """(works, what to say) for the layer. `chosen`: the block list in force allows
    unsigned add-ons (None: the list could not be read)."""
    refuses = (
        "Firefox still refuses a blocked profile's address when it is loaded (typed, "
        "pasted, a link followed), but not when the site moves to it inside the page (its "
        "own search and links)"
    )
    if not chosen:
        why = "the block list could not be read" if chosen is None else "not chosen"
        return False, (
            f"off ({why}): Firefox ESR installs blocker's extension only with its add-on "
            "signature checks turned off, for every add-on while the block is on, so it "
            f"is yours to choose: {SETTING} in the block list (see the README). Meanwhile "
            f"{refuses}"
        )
    honoured = [b.name for b in builds if b.honours]
    ignored = [b.name for b in builds if not b.honours]
    parts = []
    if honoured:
        parts.append(
            f"{', '.join(honoured)}: while profiles are blocked, Firefox checks no "
            f"add-on's signature ({SIGNATURES_PREFERENCE} off, locked) and runs blocker's "
            f"extension from {xpi.absolute().as_uri()}; when the block ends both go at "
            "Firefox's next start (it reads its policies only then), and the extension "
            "removes itself"
        )
        if in_force(policies):
            parts.append("in force now; Firefox applies a change when it restarts")
        if sets_other_extensions(policies):
            parts.append(
                f"{policies} sets ExtensionSettings of its own, so at its first start after "
                "the block Firefox disables blocker's extension before it can remove "
                "itself: remove it in about:addons then (disabled, it does nothing)"
            )
        if not xpi.exists():
            parts.append("the daemon writes the extension's file when it starts")
        elif not readable_by_everyone(xpi):
            parts.append(f"warning: Firefox, running as you, cannot read {xpi}")
    if ignored:
        parts.append(
            f"{', '.join(ignored)}: ignores that preference and installs only add-ons "
            f"Mozilla signed, so blocker's extension does not run there; {refuses}"
        )
    return bool(honoured), "; ".join(parts) or "no Firefox build found"
