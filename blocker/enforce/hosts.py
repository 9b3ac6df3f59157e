"""The hosts-file enforcer: make the file hold exactly our section for the desired domains.

An edit is a transaction: read, compute the smallest edit, write it, fsync, read back,
verify. Starting a block appends our section to the file and ending it cuts the section
off, in place: the person's own lines (5 MB of them where an ad-blocking list is
installed) are never rewritten, the file keeps its inode, owner, mode and security label,
and a crash leaves the old text or a cut section of ours, which the next run completes or
removes. Any other edit (a section someone moved into the middle, a damaged one) rewrites
the whole file, after keeping a private copy of it: a temporary file beside it, fsync,
rename; where the hosts file is a mount point (a bind mount, as containers use) rename is
impossible and the file is rewritten in place from the first changed byte.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from blocker.errors import BlockerError, HostsFileError, NeedsRootError
from blocker.hosts import hostsedit, hostsio, hoststext
from blocker.hosts.hostsedit import Edit, Splice
from blocker.hosts.hostslines import Link, PersonsLines, Signature, signature
from blocker.hosts.hostsscan import Prefix
from blocker.system.atomic import TEMP_PREFIX

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


def _explain(path: Path, action: str, error: OSError) -> BlockerError:
    if error.errno in (errno.EACCES, errno.EPERM):
        return NeedsRootError(
            f"cannot {action} {path}: permission denied; run it as root (`sudo blocker ...`) "
            f"or try it without touching the system with `blocker --sandbox DIR ...`"
        )
    if error.errno == errno.EROFS:
        return HostsFileError(f"cannot {action} {path}: it is on a read-only file system")
    return HostsFileError(f"cannot {action} {path}: {error.strerror or error}")


def _moved_meanwhile(path: Path) -> HostsFileError:
    return HostsFileError(
        f"{path} did not keep what blocker wrote (another program may be rewriting it); "
        "blocker will try again"
    )


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
            raise _explain(self.path, "read", error) from None

    def read(self) -> str:
        return hoststext.decode(self.read_bytes())

    def blocked(self) -> frozenset[str]:
        """The names our section sinks now, read in chunks (a status must not hold a
        200 MB file)."""
        try:
            with self.path.open("rb") as stream:
                found, tail, _ = hostsio.scan(stream, ())
        except OSError as error:
            raise _explain(self.path, "read", error) from None
        if found.first_marker is None:
            return frozenset()
        return hoststext.blocked_names(hoststext.decode(tail))

    def reconcile(self, domains: Sequence[str]) -> HostsResult:
        """Make the file hold our section for `domains` (none: no section at all), and no
        other line that gives one of them a real address."""
        self._remove_stale_temp_files()
        try:
            if domains:
                self.link.replace_while_blocking()
            result = self._reconcile(domains)
            if not domains:
                self.link.put_back()
                self.lines.drop()
        except OSError as error:
            raise _explain(self.path, "write", error) from None
        self.neutralised = result.neutralised
        return result

    def _reconcile(self, domains: Sequence[str]) -> HostsResult:
        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise _explain(self.path, "read", error) from None
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
                self._write(stream, edit, found.size)
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
            self._drop_backup()
        return HostsResult(edit.changed, frozenset(domains), neutralised)

    def _write(self, stream: BinaryIO, edit: Edit, size: int) -> None:
        if edit.only_ours_at_the_end:
            self._edit_end(edit.splices[0], size)
            return
        self._keep_backup()
        self._replace(stream, edit)

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

    def _edit_end(self, splice: Splice, size: int) -> None:
        """Append, replace or cut our section at the end of the file, in place: cut the
        file where our section starts, then append the new one. A write cut short leaves
        the person's lines and part of a section at the end, which the parse takes out
        whole; writing over the old section instead could merge a new line into the old
        end marker and leave a line of ours behind."""
        with self.path.open("r+b") as stream:
            if os.fstat(stream.fileno()).st_size != size:
                raise _moved_meanwhile(self.path)
            stream.truncate(splice.start)
            stream.seek(splice.start)
            stream.write(splice.insert)
            stream.flush()
            os.fsync(stream.fileno())
        with self.path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size != splice.start + len(splice.insert):
                raise _moved_meanwhile(self.path)
            stream.seek(splice.start)
            if stream.read() != splice.insert:
                raise _moved_meanwhile(self.path)

    def _replace(self, current: BinaryIO, edit: Edit) -> None:
        """Write the edited file beside the old one, a chunk at a time, and rename it over;
        where the hosts file is a mount point, copy it over in place from the first
        changed byte, so appending only writes the tail and cutting only truncates."""
        temporary, name = hostsio.temporary_beside(self.path)
        try:
            with temporary:
                hostsio.write_spliced(current, temporary, edit.splices)
                temporary.flush()
                os.fsync(temporary.fileno())
                _copy_owner_and_mode(self.path, name)
                try:
                    name.replace(self.path)
                    # The old file stays readable through `current` after the rename.
                    expected = hostsio.spliced(current, edit.splices)
                except OSError as error:
                    if error.errno not in (errno.EBUSY, errno.EXDEV):
                        raise
                    logger.info("%s is a mount point; rewriting it in place", self.path)
                    with self.path.open("r+b") as target:
                        hostsio.copy_into(temporary, target, edit.splices[0].start)
                        target.flush()
                        os.fsync(target.fileno())
                    expected = hostsio.chunks(temporary)
                if not hostsio.holds(self.path, expected):
                    raise _moved_meanwhile(self.path)
        finally:
            name.unlink(missing_ok=True)

    def _keep_backup(self) -> None:
        """Before the first rewrite of the person's lines, a private copy of the file."""
        if self.backup.exists():
            return
        try:
            self.backup.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = self.backup.with_name(TEMP_PREFIX + self.backup.name)
            shutil.copyfile(self.path, temporary)
            temporary.chmod(0o600)
            temporary.replace(self.backup)
        except OSError as error:
            raise _explain(self.backup, "write", error) from None
        logger.info("kept a copy of %s as it was in %s", self.path, self.backup)

    def _drop_backup(self) -> None:
        """Once the section is gone, the copy is ours to remove, unless the file now differs
        from it by more than our section: then someone else edited it meanwhile, and the
        copy stays for them."""
        if not self.backup.exists():
            return
        with self.backup.open("rb") as stream:
            found, tail, _ = hostsio.scan(stream, ())
            edit = hostsedit.plan(found, tail, ())
            if edit is None:
                stream.seek(0)
                edit = hostsedit.whole_edit(stream.read(), ())
            same = hostsio.holds(self.path, hostsio.spliced(stream, edit.splices))
        if not same:
            logger.info(
                "%s was edited by someone else during the block; their edits are kept and "
                "the copy from before blocker rewrote it stays at %s",
                self.path,
                self.backup,
            )
            return
        self.backup.unlink()

    def _remove_stale_temp_files(self) -> None:
        """Temporary files a killed writer left beside the hosts file."""
        try:
            leftovers = list(self.path.parent.glob(TEMP_PREFIX + "*"))
        except OSError:
            return
        for leftover in leftovers:
            try:
                leftover.unlink()
                logger.info("removed %s left by an interrupted write", leftover)
            except FileNotFoundError:
                continue
            except OSError as error:
                logger.warning("could not remove %s: %s", leftover, error)


def _copy_owner_and_mode(like: Path, path: Path) -> None:
    """A hosts file is readable by every program; a new one takes the old one's owner."""
    status = like.stat()
    path.chmod(stat.S_IMODE(status.st_mode) | 0o444)
    if hasattr(os, "chown") and os.geteuid() == 0:
        os.chown(path, status.st_uid, status.st_gid)
