"""The Chromium-family enforcer: one policy file of our own in each installed browser's
managed-policy folder.

Chromium reads every JSON file in the folder, and for each policy the file last in name
order wins without merging lists. Our file is named to sort last and carries the entries
of any other file's URLBlocklist, so nobody's list is lost while ours applies; removing
our file gives theirs back unchanged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
from pathlib import Path

from blocker.blocklist.browser_catalog import Browser
from blocker.core.policies import (
    ExtensionInstall,
    chromium_policy,
    side_doors_closed,
)
from blocker.errors import BlockerError
from blocker.system.atomic import TEMP_PREFIX, remove_empty_folders, write_atomically

logger = logging.getLogger(__name__)

OUR_FILE = "zzz-blocker.json"
# While blocking, a file of the folder that sorts after ours and sets what ours sets
# would win over it (the last file in name order wins each policy): it waits here, a
# folder Chromium does not read (it reads the files of the managed folder, not below),
# until the block ends. Under the policy folder, so that losing blocker's state loses it not.
ASIDE = "blocker-set-aside"


def _read_json(path: Path) -> dict[str, object] | None:
    """A policy file as Chromium reads it, which forgives a byte-order mark and trailing
    commas (a hand-written file that Python's parser refused was read by Chromium and
    undid the block); None when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, ValueError) as error:
        logger.warning("cannot read the browser policy file %s: %s", path, error)
        return None
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = json.loads(_TRAILING_COMMA.sub(r"\1", text))
        except ValueError as error:
            logger.warning("cannot read the browser policy file %s: %s", path, error)
            return None
    return data if isinstance(data, dict) else None


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
# Policies that turn blocker's extension off from any file, whatever its place in the
# order, since ours does not set them (measured with Chromium 156: ExtensionAllowedTypes
# ["theme"] removed the force-installed extension).
DEFEATING = frozenset({"ExtensionAllowedTypes"})


class ChromiumPolicyFolder:
    """One browser's managed folder. Called from the daemon's loop thread only; blocks on
    file I/O; idempotent."""

    def __init__(self, browser: Browser, root: Path) -> None:
        self.browser = browser
        self.root = root
        self.folder = root / browser.linux.lstrip("/")
        self.ours = self.folder / OUR_FILE

    def _others(self) -> list[Path]:
        """The other policy files, those set aside included: their lists are carried into
        ours all the same."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self._policy_files() if p.name != OUR_FILE]
        return sorted(found + list((self.folder / ASIDE).glob("*")), key=lambda p: p.name)

    def _policy_files(self) -> list[Path]:
        """Every file of the folder: Chromium reads each, whatever its name ends with."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    def _set_aside_overriding(self, policy: dict[str, object]) -> list[str]:
        """Move the files that would override ours out of Chromium's sight; their names."""
        moved = []
        for path in self._policy_files():
            if path.name == OUR_FILE or path.name.startswith(TEMP_PREFIX):
                continue
            data = _read_json(path)
            keys = set(data or {})
            later = path.name > OUR_FILE
            # A later file that sets what ours sets, or that we cannot read (it might say
            # anything), would win over ours; a defeating policy wins from anywhere.
            if not (keys & DEFEATING or (later and (data is None or keys & policy.keys()))):
                continue
            aside = self.folder / ASIDE
            aside.mkdir(mode=0o755, exist_ok=True)
            if (aside / path.name).exists():  # set aside before: the newer one stays out
                (aside / path.name).unlink()
            path.rename(aside / path.name)
            logger.warning(
                "%s sorts after blocker's file and overrides the block: set aside in %s "
                "until the block ends",
                path,
                aside,
            )
            moved.append(path.name)
        return moved

    def _put_back_aside(self) -> bool:
        """Every file set aside back in its place (one of the same name written since
        stays, and the set-aside copy with it, for the person to choose)."""
        aside = self.folder / ASIDE
        if not aside.is_dir():
            return False
        changed = False
        for path in sorted(aside.iterdir()):
            if (self.folder / path.name).exists():
                logger.warning("%s was not put back: %s is there again", path, path.name)
                continue
            path.rename(self.folder / path.name)
            changed = True
        with contextlib.suppress(OSError):  # empty unless something stayed
            aside.rmdir()
        return changed

    def others_entries(self, policy: str = "URLBlocklist") -> tuple[str, ...]:
        """The entries of a list policy that the other files of the folder set."""
        entries: list[str] = []
        for path in self._others():
            found = (_read_json(path) or {}).get(policy)
            if isinstance(found, list):
                entries.extend(str(item) for item in found)
        return tuple(entries)

    def others_mapping(self, policy: str, inside: str = "") -> dict[str, object]:
        """A dictionary policy as the other files set it (`inside`: one key deeper), merged
        in name order, as the last file's keys would win."""
        merged: dict[str, object] = {}
        for path in self._others():
            found = (_read_json(path) or {}).get(policy)
            if inside and isinstance(found, dict):
                found = found.get(inside)
            if isinstance(found, dict):
                merged.update(found)
        return merged

    def our_entries(self) -> tuple[str, ...]:
        """The URLBlocklist of our file as it is now (none when it is missing or broken)."""
        found = (_read_json(self.ours) or {}).get("URLBlocklist") if self.ours.exists() else None
        return tuple(str(item) for item in found) if isinstance(found, list) else ()

    def overriding_files(self) -> list[Path]:
        """Files that sort after ours and set URLBlocklist or reopen a side door (private
        or guest windows): theirs would win over ours."""
        ours = ("URLBlocklist", *side_doors_closed(self.browser.private_windows))
        return [
            p
            for p in self._others()
            if p.name > OUR_FILE and any(name in (_read_json(p) or {}) for name in ours)
        ]

    def reconcile(
        self, prefixes: tuple[str, ...], blocking: bool, extension: ExtensionInstall | None = None
    ) -> bool:
        """Make our file say what the block needs (or be gone); True when it changed.
        With `extension`, our file also force-installs blocker's extension."""
        if not blocking:
            put_back = self._put_back_aside()
            return self._remove() or put_back
        if extension is not None:
            extension = dataclasses.replace(
                extension,
                others_forced=self.others_entries("ExtensionInstallForcelist"),
                others_settings=self.others_mapping("ExtensionSettings"),
                others_extensions=self.others_mapping("3rdparty", "extensions"),
                others_hosts=self.others_entries("NativeMessagingAllowlist"),
            )
        policy = chromium_policy(
            prefixes,
            self.others_entries(),
            self.others_entries("URLAllowlist"),
            extension,
            self.browser.private_windows,
        )
        data = (json.dumps(policy, indent=2, sort_keys=True) + "\n").encode()
        moved = bool(self._set_aside_overriding(policy))
        if self.ours.exists() and self.ours.read_bytes() == data:
            return moved
        self.folder.mkdir(parents=True, exist_ok=True)
        # Browsers run as the person, so the file must be readable by everyone.
        write_atomically(self.ours, data, mode=0o644)
        if self.ours.read_bytes() != data:
            raise BlockerError(f"{self.ours} did not keep what blocker wrote")
        return True

    def _remove(self) -> bool:
        if not self.ours.exists():
            return False
        self.ours.unlink()
        if self.ours.exists():
            raise BlockerError(f"{self.ours} could not be removed")
        # Leave no empty folders of ours behind (policies/managed, then policies).
        remove_empty_folders(self.folder, self.root)
        return True
