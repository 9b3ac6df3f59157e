"""The Firefox enforcer: our WebsiteFilter patterns, DNS over HTTPS off and private
windows off, merged into the one policies.json Firefox reads, and the file restored
exactly afterwards. Where the block list allows unsigned add-ons, blocker's extension
too: force-installed, handed the pages to stop as managed storage, with the locked
preference that lets Firefox ESR install an unsigned add-on.

Firefox reads /etc/firefox/policies/policies.json and then ignores a policies.json in its
install's distribution/ folder (no merge), so we merge into whichever of them is already
there rather than create a second that would hide the first. Firefox reads policies only
when it starts.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blocker.blocklist.browser_catalog import Browser
from blocker.core.policies import extension_value, firefox_patterns
from blocker.enforce.extension import GECKO_ID
from blocker.enforce.places import lookup, put, put_back
from blocker.errors import BlockerError
from blocker.system.atomic import remove_empty_folders, write_atomically

logger = logging.getLogger(__name__)

DOH_OFF = {"Enabled": False, "Locked": True}
# Firefox ESR installs an unsigned add-on only with this preference off, and it then
# checks no add-on's signature: that is why it is the person's choice in the block list.
SIGNATURES_PREFERENCE = "xpinstall.signatures.required"
SIGNATURES_OFF = {"Value": False, "Status": "locked"}
# Every place of the policies where the extension puts something of ours; afterwards each
# gets back what the original had there, or nothing.
EXTENSION_PLACES: tuple[tuple[str, ...], ...] = (
    ("ExtensionSettings", GECKO_ID),
    ("3rdparty", "Extensions", GECKO_ID),
    ("Preferences", SIGNATURES_PREFERENCE),
    ("DisableSafeMode",),
)

# Policies whose whole value is ours while blocking; each goes back to the original's
# value (or away) afterwards. A private window is a side door: no add-on runs there
# unless allowed, so an in-app route to the profile would show. Firefox 130 and ESR
# 128.3 added PrivateBrowsingModeAvailability, documented as superseding
# DisablePrivateBrowsing: another setting of it (2 forces private windows) must not win,
# so both are ours. Measured with ESR 153: either refuses `--private-window`, and a name
# Firefox does not know leaves the other policies working, so an older Firefox reads
# DisablePrivateBrowsing and ignores the newer name.
OURS = {
    "DNSOverHTTPS": DOH_OFF,
    "DisablePrivateBrowsing": True,
    "PrivateBrowsingModeAvailability": 1,  # 1: not available
}


@dataclass(frozen=True)
class FirefoxExtension:
    """blocker's extension (GECKO_ID) as Firefox's policy names it; the daemon sets it
    once the XPI is built."""

    install_url: str  # file:///run/blocker/blocker.xpi
    labels: Mapping[str, str] = field(default_factory=dict)  # prefix -> the page's label


def extension_entries(
    prefixes: tuple[str, ...], extension: FirefoxExtension
) -> dict[tuple[str, ...], object]:
    """What goes where in the policies for the extension: force-installed from the XPI
    (and so locked: it cannot be turned off or removed), allowed in private windows, the
    pages as its managed storage (the value Chromium's policy carries), signatures off."""
    return {
        ("ExtensionSettings", GECKO_ID): {
            "installation_mode": "force_installed",
            "install_url": extension.install_url,
            "private_browsing": True,
        },
        ("3rdparty", "Extensions", GECKO_ID): extension_value(prefixes, extension.labels),
        ("Preferences", SIGNATURES_PREFERENCE): SIGNATURES_OFF,
        # Troubleshoot Mode (--safe-mode) starts Firefox with every add-on off.
        ("DisableSafeMode",): True,
    }


def merged(
    original: dict[str, Any],
    patterns: tuple[str, ...],
    extension: Mapping[tuple[str, ...], object] | None = None,
) -> dict[str, Any]:
    """`original` with our block patterns added, DNS over HTTPS and private windows
    turned off, and the extension's entries (see extension_entries) where given."""
    result = json.loads(json.dumps(original))  # a deep copy
    policies = result.setdefault("policies", {})
    website_filter = policies.setdefault("WebsiteFilter", {})
    block = list(website_filter.get("Block", []))
    website_filter["Block"] = block + [p for p in patterns if p not in block]
    policies.update(json.loads(json.dumps(OURS)))
    for place, value in (extension or {}).items():
        put(policies, place, value)
    return dict(result)


def without_ours(
    current: dict[str, Any], original: dict[str, Any], patterns: list[str]
) -> dict[str, Any]:
    """`current` with our additions taken out and the original values of `OURS` back,
    keeping whatever someone else changed meanwhile."""
    result = json.loads(json.dumps(current))
    policies = result.get("policies", {})
    before = original.get("policies", {})
    website_filter = policies.get("WebsiteFilter", {})
    kept = [
        p
        for p in website_filter.get("Block", [])
        if p not in patterns or p in before.get("WebsiteFilter", {}).get("Block", [])
    ]
    if kept:
        website_filter["Block"] = kept
    else:
        website_filter.pop("Block", None)
    if not website_filter:
        policies.pop("WebsiteFilter", None)
    for name in OURS:
        if name in before:
            policies[name] = before[name]
        else:
            policies.pop(name, None)
    for place in EXTENSION_PLACES:
        put_back(policies, before, place)
    return dict(result)


def _policies(data: bytes, path: Path) -> dict[str, Any]:
    """Another program's policies.json, parsed; a malformed one is named, never guessed at."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f":{error.lineno}:{error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        raise BlockerError(
            f"{path}{where}: not valid JSON ({reason}); blocker leaves it as it is and tries "
            "again when it changes"
        ) from None
    if not isinstance(value, dict):
        raise BlockerError(f"{path}: expected a JSON object of policies; left as it is")
    return value


def _without_a_lost_block(data: bytes) -> bytes:
    """A policies.json found while blocker has no record of it, without what a block whose
    record was lost left there: where it names blocker's extension (no one else uses that
    ID), the extension's entries go, and the signatures preference if it has the value
    blocker writes, so that the end of the block cannot leave Firefox's signature checks
    off for good. Any other file, or one that is not JSON, as it is."""
    try:
        found = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data
    policies = found.get("policies") if isinstance(found, dict) else None
    if not isinstance(policies, dict) or not lookup(policies, EXTENSION_PLACES[0])[0]:
        return data
    for place in EXTENSION_PLACES:
        if place[-1] != SIGNATURES_PREFERENCE or lookup(policies, place)[1] == SIGNATURES_OFF:
            put_back(policies, {}, place)
    logger.warning("the policies.json names blocker's extension but no record of it is left")
    return (json.dumps(found, indent=2, sort_keys=True) + "\n").encode()


def _same(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Equal policies, an empty "policies" object counting as none."""

    def normal(value: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in value.items() if not (k == "policies" and v == {})}

    return normal(first) == normal(second)


class FirefoxPolicyFile:
    """Called from the daemon's loop thread only; blocks on file I/O; idempotent."""

    def __init__(self, browser: Browser, root: Path, state_dir: Path) -> None:
        self.root = root
        self.system_file = root / browser.linux.lstrip("/")
        self.distribution_files = [
            root / d.lstrip("/") / "distribution" / "policies.json" for d in browser.install_dirs
        ]
        # One record per policies file ("firefox-…" for the package's, as it always was).
        self.record = state_dir / f"{browser.key}-policies.before-blocker.json"

    def target(self) -> Path:
        if self.system_file.exists():
            return self.system_file
        return next((p for p in self.distribution_files if p.exists()), self.system_file)

    def _load_record(self) -> dict[str, Any] | None:
        if not self.record.exists():
            return None
        record: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return record

    def our_patterns(self) -> tuple[str, ...]:
        """The patterns of blocker's that the policy file blocks now: its record keeps
        every pattern added during the block (to take out after a crash), also those
        taken out since, which block nothing and witness nothing."""
        record = self._load_record()
        if not record:
            return ()
        path = Path(record["path"])
        current = _policies(path.read_bytes(), path) if path.exists() else {}
        blocked = current.get("policies", {}).get("WebsiteFilter", {}).get("Block", [])
        listed = set(blocked) if isinstance(blocked, list) else set()
        return tuple(str(p) for p in record["patterns"] if p in listed)

    def reconcile(
        self,
        prefixes: tuple[str, ...],
        blocking: bool,
        extension: FirefoxExtension | None = None,
    ) -> bool:
        """Make the policy file say what the block needs, or what it said before; True
        when it changed. With `extension` (the block list allows unsigned add-ons and the
        daemon built the XPI), the file also installs blocker's extension while profiles
        are blocked."""
        record = self._load_record()
        if not blocking:
            return self._restore(record) if record else False
        moved = False
        if record is not None and Path(record["path"]) != self.target():
            # A system policies.json written during the block hides the file ours is in
            # (Firefox then reads that one alone): ours moves into the file it reads.
            logger.warning("%s now hides %s: the block moves there", self.target(), record["path"])
            self._restore(record)
            self.record.unlink(missing_ok=True)  # _restore may have taken it already
            record, moved = None, True
        if record is None:
            path = self.target()
            before = path.read_bytes() if path.exists() else None
            if before is not None:
                before = _without_a_lost_block(before)
            record = {
                "path": str(path),
                "patterns": [],
                "original": None if before is None else base64.b64encode(before).decode(),
            }
        path = Path(record["path"])
        original = None if record["original"] is None else base64.b64decode(record["original"])
        base = _policies(original, path) if original else {}
        patterns = firefox_patterns(prefixes)
        entries = extension_entries(prefixes, extension) if extension and prefixes else None
        data = (
            json.dumps(merged(base, patterns, entries), indent=2, sort_keys=True) + "\n"
        ).encode()
        known = sorted(set(record["patterns"]) | set(patterns))
        if known != record["patterns"] or not self.record.exists():
            # Written before the policy file, so a crash between the two still knows
            # what to take out; untouched (no write, no fsync) on the steps that change nothing.
            record["patterns"] = known
            self.record.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self.record, json.dumps(record).encode(), mode=0o600)
        if path.exists() and path.read_bytes() == data:
            return moved
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data, mode=0o644)
        if path.read_bytes() != data:
            raise BlockerError(f"{path} did not keep what blocker wrote")
        return True

    def _restore(self, record: dict[str, Any]) -> bool:
        path = Path(record["path"])
        original = None if record["original"] is None else base64.b64decode(record["original"])
        base = _policies(original, path) if original else {}
        current = _policies(path.read_bytes(), path) if path.exists() else None
        stripped = None if current is None else without_ours(current, base, record["patterns"])
        if stripped is None or _same(stripped, base):
            if original is None:
                path.unlink(missing_ok=True)
                remove_empty_folders(path.parent, self.root)
            else:
                write_atomically(path, original, like=path if path.exists() else None, mode=0o644)
        else:
            logger.info("%s was edited during the block; kept those edits, took ours out", path)
            data = json.dumps(stripped, indent=2) + "\n"
            write_atomically(path, data.encode(), like=path, mode=0o644)
        self.record.unlink()
        return True
