"""Adding to and removing from the block list file, for the CLI and the daemon alike.

The file is edited as text (see yamledit.py), validated before it is written, and replaced
atomically, so a broken list is never saved."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from blocker.blocklist import yamledit as edit
from blocker.blocklist import yamlsource
from blocker.blocklist.config_file import parse_config, target_of
from blocker.blocklist.entries import written_entry
from blocker.core.catalog import Catalog
from blocker.core.config import Config
from blocker.core.sites import PageNotSite, site
from blocker.core.targets import (
    InvalidTarget,
    Target,
    TargetKey,
    from_shorthand,
    from_url,
    shorthand_of,
    with_spellings_of,
)
from blocker.errors import UsageError
from blocker.system.atomic import write_atomically

if TYPE_CHECKING:
    from blocker.blocklist.periodfile import PeriodChoice
    from blocker.core.schedule import Period


@dataclass(frozen=True)
class BlockListFile:
    path: Path
    catalog: Catalog
    machine_names: frozenset[str]

    def read(self) -> tuple[str, Config]:
        text = yamlsource.read_file(self.path)
        return text, parse_config(text, self.path, self.catalog, self.machine_names)

    def entry(
        self, typed: str, *, whole_site: bool, command: str = "add"
    ) -> tuple[str, str | dict[str, str], Target]:
        """What the person typed → (the list it goes in, the YAML entry, the Target).
        `command` is the one a mistake's answer tells the person to run instead."""
        try:
            section, target = self._target(typed, whole_site=whole_site)
        except PageNotSite as error:
            raise UsageError(_page_not_site(typed, error, command)) from None
        except InvalidTarget as error:
            raise UsageError(str(error)) from None
        return (
            section,
            written_entry(self.catalog, section, target, typed, self.machine_names),
            target,
        )

    def _target(self, typed: str, *, whole_site: bool) -> tuple[str, Target]:
        if whole_site:
            return "sites", site(self.catalog, typed, self.machine_names)
        word, _, handle = typed.partition(":")
        if handle and "/" not in handle and self.catalog.by_shorthand(word):
            return "profiles", from_shorthand(self.catalog, word, handle)
        return "profiles", from_url(self.catalog, typed, self.machine_names)

    def add(self, typed: str, *, whole_site: bool) -> tuple[Target, bool]:
        """Add an entry; returns its Target and False when it was already listed. The same
        person in a spelling not yet blocked is added: Chromium tells the spellings apart."""
        text, config = self.read()
        section, entry, target = self.entry(typed, whole_site=whole_site)
        listed = next((t for t in config.targets if t.key == target.key), None)
        if listed is not None and with_spellings_of(listed, target) is None:
            return target, False
        self._write(edit.add_entry(text, section, entry, self.path))
        return target, True

    def listed(self, typed: str, *, whole_site: bool) -> tuple[str, str, set[int], Target]:
        """Where an entry stands: (text, section, item indexes, Target); UsageError if absent."""
        text, _ = self.read()
        section, _, target = self.entry(typed, whole_site=whole_site, command="remove")
        indexes = _indexes(text, section, self, lambda t: t.subject == target.subject)
        if not indexes:
            raise UsageError(f"{target.label} is not on your block list")
        return text, section, indexes, target

    def remove(self, typed: str, *, whole_site: bool) -> Target:
        text, section, indexes, target = self.listed(typed, whole_site=whole_site)
        self._write(edit.remove_entries(text, section, indexes, self.path))
        return target

    def put_back(self, in_force: str, cancelled: str) -> str:
        """After the person cancelled the loosening in `cancelled` (an edited list): write
        the list in force again, layout and comments as they were, plus the entries the
        edit added (already blocked), and keep the edited version beside it. Returns the
        text written. Without this, the next reading of the file would ask for the same
        loosening again, unasked."""
        restored = with_additions(in_force, cancelled, self)
        aside = self.path.with_name(self.path.name + ".cancelled")
        write_atomically(aside, cancelled.encode("utf-8"), like=self.path)
        self._write(restored)
        return restored

    def set_period(self, choice: PeriodChoice) -> tuple[Period, Period]:
        """Change the period as `choice` says, in place; returns it before and after."""
        from blocker.blocklist.periodfile import set_period  # rare: kept out of the daemon

        text, config = self.read()
        new_text = set_period(text, choice, self.path)
        self._write(new_text)
        return config.period, parse_config(
            new_text, self.path, self.catalog, self.machine_names
        ).period

    def _write(self, new_text: str) -> None:
        parse_config(new_text, self.path, self.catalog, self.machine_names)
        write_atomically(self.path, new_text.encode("utf-8"), like=self.path)


def _page_not_site(typed: str, error: PageNotSite, command: str) -> str:
    """PageNotSite in the words of the command line: what to type instead."""
    shown = repr(typed.strip())
    if error.profile is None:
        return f"{shown} is not a site's name alone: write `blocker {command} --site {error.host}`"
    words = shorthand_of(error.profile)
    thing = "profile" if words else "message thread"
    site_is, action = ("would block", "to block") if command == "add" else ("means", "to take off")
    instead = f"run `blocker {command} {words}`, or paste" if words else "paste"
    return (
        f"{shown} is a page, not a whole site: --site {site_is} all of {error.host}; "
        f"{action} the {thing}, {instead} the address without --site"
    )


def _raw(node: yamlsource.Node) -> str | dict[str, str] | None:
    """An entry as edit.add_entry writes it: a plain value or one `platform: name`."""
    if isinstance(node, yamlsource.Scalar):
        return node.text
    if isinstance(node, yamlsource.Mapping) and len(node.entries) == 1:
        ((word, (_, value)),) = node.entries.items()
        if isinstance(value, yamlsource.Scalar):
            return {word: value.text}
    return None


def with_additions(base: str, edited: str, file: BlockListFile) -> str:
    """`base` with every entry of `edited` whose target (or spelling) `base` lacks,
    appended to its list."""
    config = parse_config(base, file.path, file.catalog, file.machine_names)
    known = {t.key: t for t in config.targets}
    root = yamlsource.parse(edited, file.path)
    text = base
    for section in edit.SECTIONS:
        found = root.entries.get(section) if isinstance(root, yamlsource.Mapping) else None
        nodes = found[1].items if found and isinstance(found[1], yamlsource.Sequence) else ()
        for node in nodes:
            target = target_of(section, node, file.catalog, file.machine_names)
            value = _raw(node)
            listed = known.get(target.key)
            if value is None:
                continue
            if listed is None:
                known[target.key] = target
            else:
                merged = with_spellings_of(listed, target)
                if merged is None:
                    continue
                known[target.key] = merged
            text = edit.add_entry(text, section, value, file.path)
    return text


def without_entries(text: str, keys: Collection[TargetKey], file: BlockListFile) -> str:
    """`text` with every entry whose target's key is in `keys` taken out, the rest of it
    (layout, comments) as it was."""
    for section in edit.SECTIONS:
        indexes = _indexes(text, section, file, lambda t: t.key in keys)
        if indexes:
            text = edit.remove_entries(text, section, indexes, file.path)
    return text


def _indexes(
    text: str, section: str, file: BlockListFile, chosen: Callable[[Target], bool]
) -> set[int]:
    """The indexes of the entries of `section` in `text` whose target is `chosen`."""
    root = yamlsource.parse(text, file.path)
    found = root.entries.get(section) if isinstance(root, yamlsource.Mapping) else None
    nodes = found[1].items if found and isinstance(found[1], yamlsource.Sequence) else ()
    return {
        index
        for index, node in enumerate(nodes)
        if chosen(target_of(section, node, file.catalog, file.machine_names))
    }
