"""The hosts-file enforcer: make the file hold exactly our section for the desired domains.

Each reconcile reads the file in chunks, plans the smallest edit (hostsedit) and has
hostswrite write it as a transaction. The person's lines that would give a blocked name a
real address are turned off while the block is on, and a copy of their lines is kept
(hostslines) to put back if the file is emptied meanwhile. When the file is as blocker
last left it, only our section is read again.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blocker.enforce import hostswrite
from blocker.hosts import hostsedit, hostsio, hoststext
from blocker.hosts.hostslines import Link, PersonsLines, Signature, signature
from blocker.hosts.hostsscan import Prefix

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Neutralised:
    """A line of the person's that gave a blocked name a real address, turned off."""

    line: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class HostsResult:
    changed: bool
    blocked: frozenset[str]
    neutralised: tuple[Neutralised, ...] = ()


class HostsFile:
    """One hosts file. Not thread-safe: the daemon's loop is its only caller. Every method
    blocks on file I/O and is idempotent."""

    def __init__(self, path: Path, backup: Path) -> None:
        self.path = path
        self.backup = backup
        self.lines = PersonsLines(path, backup.with_name("hosts.persons-lines"))
        self.link = Link(path, backup.with_name("hosts.link"))
        # The file as blocker last left it (its signature) and what a scan learnt of its
        # lines before our section: the next reconcile reads only our section then.
        # A write by anyone else changes the signature (inode, size, modification time).
        self._known: dict[Signature, Prefix] = {}
        # The lines the last reconcile found turned off (for status and doctor).
        self.neutralised: tuple[Neutralised, ...] = ()

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise hostswrite.explain(self.path, "read", error) from None

    def read(self) -> str:
        return hoststext.decode(self.read_bytes())

    def blocked(self) -> frozenset[str]:
        """The names our section sinks now, read in chunks (a status must not hold a
        200 MB file)."""
        try:
            with self.path.open("rb") as stream:
                found, tail, _ = hostsio.scan(stream, ())
        except OSError as error:
            raise hostswrite.explain(self.path, "read", error) from None
        if found.first_marker is None:
            return frozenset()
        return hoststext.blocked_names(hoststext.decode(tail))

    def reconcile(self, domains: Sequence[str]) -> HostsResult:
        """Make the file hold our section for `domains` (none: no section at all), and no
        other line that gives one of them a real address."""
        hostswrite.remove_stale_temp_files(self.path)
        try:
            if domains:
                self.link.replace_while_blocking()
            result = self._reconcile(domains)
            if not domains:
                self.link.put_back()
                self.lines.drop()
        except OSError as error:
            raise hostswrite.explain(self.path, "write", error) from None
        self.neutralised = result.neutralised
        return result

    def _reconcile(self, domains: Sequence[str]) -> HostsResult:
        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise hostswrite.explain(self.path, "read", error) from None
        with stream:
            before = os.fstat(stream.fileno())
            known = self._known.get(signature(before))
            self._known.clear()
            with self.lines.taking(before if domains else None, read_whole=not known) as tee:
                found, tail, scanner = hostsio.scan(stream, domains, tee, known)
                edit = hostsedit.plan(found, tail, domains)
                if edit is None:  # a damaged section: the full parse, in memory (rare)
                    stream.seek(0)
                    edit = hostsedit.whole_edit(stream.read(), domains)
                emptied = bool(domains) and edit.vanished and self.lines.put_back(stream)
                if domains and not emptied:
                    self.lines.keep(found, edit)
            if emptied:
                # The person's lines are back from the copy, and the block goes on them.
                return dataclasses.replace(self._reconcile(domains), changed=True)
            if edit.changed:
                hostswrite.write(self.path, self.backup, stream, edit, found.size)
        after = self.path.stat()
        unchanged_before_us = not edit.changed or edit.only_ours_at_the_end
        if edit.section and unchanged_before_us:
            start = edit.section[0]
            base = found.tail_start()
            if start == 0 or tail[start - base - 1 : start - base] == b"\n":
                remembered = scanner.prefix(start, tail, base)
                if remembered is not None:
                    self._known[signature(after)] = remembered
        # Numbering lines costs a second scan: only where there are lines to name.
        neutralised = self._neutralised(domains) if found.lines or self.neutralised else ()
        if domains:
            self.lines.taken(after)
        else:
            hostswrite.drop_backup(self.path, self.backup)
        return HostsResult(edit.changed, frozenset(domains), neutralised)

    def _neutralised(self, domains: Sequence[str]) -> tuple[Neutralised, ...]:
        """Our OFF lines now in the file, numbered, and logged when they are new."""
        with self.path.open("rb") as stream:
            lines = hostsio.count_lines(stream, ()).lines
        wanted = frozenset(domains)
        found = []
        for line in lines:
            text = hoststext.decode(line.data)
            if text.startswith(hoststext.OFF):
                names = hoststext.foreign_names(text.removeprefix(hoststext.OFF), wanted)
                found.append(Neutralised(line.number, tuple(names)))
        for entry in found if domains else ():
            if entry not in self.neutralised:
                logger.warning(
                    "%s:%d gave %s a real address, which would win over the block; it is "
                    "turned off while the block is on and put back after",
                    self.path,
                    entry.line,
                    ", ".join(entry.names),
                )
        return tuple(found)
