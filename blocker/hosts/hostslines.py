"""What the hosts enforcer keeps of the person's while blocking: a copy of their lines, put
back when the file is emptied, and a symbolic link that stood in the file's place.

"Emptied" (`hoststext.holds_own_line`): no line of theirs that works is left, only blank
lines and lines that give a blocked name an address. Every hosts file in use holds at
least localhost, so that is a truncation (`: > /etc/hosts`, `cp /dev/null`, a link to an
empty file), never an edit; any other change of their lines is an edit, kept, and the
copy follows it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from blocker.hosts import hostsio
from blocker.hosts.hostsedit import Edit
from blocker.hosts.hostsscan import CHUNK, Scan
from blocker.system.atomic import TEMP_PREFIX

logger = logging.getLogger(__name__)

Signature = tuple[int, int, int]


def signature(status: os.stat_result) -> Signature:
    return status.st_ino, status.st_size, status.st_mtime_ns


def _replace(path: Path, temporary: Path) -> None:
    """Rename over `path`, or where it is a mount point copy over it in place."""
    try:
        temporary.replace(path)
    except OSError as error:
        if error.errno not in (errno.EBUSY, errno.EXDEV):
            raise
        with temporary.open("rb") as source, path.open("r+b") as target:
            hostsio.copy_into(source, target, 0)
            target.flush()
            os.fsync(target.fileno())
        temporary.unlink()


class PersonsLines:
    """The private copy (mode 0600) of the hosts file up to our first marker."""

    def __init__(self, hosts: Path, copy: Path) -> None:
        self.hosts, self.copy = hosts, copy
        self._taken: Signature | None = None  # the hosts file the copy is of
        self._keep: tuple[int, int] | None = None  # the section's span, cut out of the copy

    @contextlib.contextmanager
    def taking(
        self, before: os.stat_result | None, *, read_whole: bool
    ) -> Iterator[BinaryIO | None]:
        """While blocking (`before`: the hosts file's status), a stream the scan copies the
        file into as it reads it (`read_whole`; otherwise the file is copied by the
        kernel), unless the copy is of this very file already; `keep` commits it."""
        if before is None or signature(before) == self._taken:
            yield None
            return
        self.copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.copy.with_name(TEMP_PREFIX + self.copy.name)
        self._keep = None
        kept = self._kept_span
        try:
            descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w+b") as tee:
                yield tee if read_whole else None
                span = kept()
                if span is not None and not read_whole:
                    with self.hosts.open("rb") as source:
                        tee.flush()
                        shutil.copyfileobj(source, tee, CHUNK)

                if span is not None:
                    _cut(tee, *span)
            if span is not None:
                # No fsync: a crash that loses it loses a copy, not the block or the file.
                temporary.replace(self.copy)
        finally:
            temporary.unlink(missing_ok=True)

    def _kept_span(self) -> tuple[int, int] | None:
        return self._keep

    def keep(self, found: Scan, edit: Edit) -> None:
        """The scanned file is the person's (not emptied): the copy taken of it stays,
        without our section (lines added after it, `echo ... >> hosts`, are theirs too)."""
        if not edit.vanished or not self.copy.exists():
            self._keep = edit.section or (found.size, found.size)

    def taken(self, after: os.stat_result) -> None:
        """The hosts file, as blocker left it, holds the lines the copy holds."""
        self._taken = signature(after)

    def put_back(self, current: BinaryIO) -> bool:
        """After the file was emptied: the copy's lines, then whatever the file holds now
        (nothing is lost). Whether there was a copy to put back."""
        if not self.copy.exists() or self.copy.stat().st_size == 0:
            return False
        temporary, name = hostsio.temporary_beside(self.hosts)
        try:
            with temporary, self.copy.open("rb") as copy:
                last = b""
                for chunk in hostsio.chunks(copy):
                    temporary.write(chunk)
                    last = chunk[-1:]
                if last != b"\n" and os.fstat(current.fileno()).st_size:
                    temporary.write(b"\n")
                for chunk in hostsio.chunks(current):
                    temporary.write(chunk)
                temporary.flush()
                os.fsync(temporary.fileno())
            name.chmod(0o644)
            _replace(self.hosts, name)
        finally:
            name.unlink(missing_ok=True)
        logger.warning(
            "%s was emptied during the block; its lines are back from %s", self.hosts, self.copy
        )
        return True

    def drop(self) -> None:
        self.copy.unlink(missing_ok=True)
        self._taken = None


class Link:
    """A symbolic link at the hosts file's place: while blocking, a regular file stands
    there instead (writing through the link would put the block in a file nothing
    watches, anywhere the link points); the link is put back after."""

    def __init__(self, hosts: Path, record: Path) -> None:
        self.hosts, self.record = hosts, record

    def replace_while_blocking(self) -> None:
        if not self.hosts.is_symlink():
            return
        target = str(self.hosts.readlink())
        self.record.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(self.record, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(target)
        temporary, name = hostsio.temporary_beside(self.hosts)
        try:
            with temporary:
                with contextlib.suppress(FileNotFoundError), self.hosts.open("rb") as source:
                    for chunk in hostsio.chunks(source):
                        temporary.write(chunk)
                temporary.flush()
                os.fsync(temporary.fileno())
            name.chmod(0o644)
            name.replace(self.hosts)
        finally:
            name.unlink(missing_ok=True)
        logger.warning(
            "%s was a link to %s; a file stands in its place while the block is on, and the "
            "link is put back after",
            self.hosts,
            target,
        )

    def put_back(self) -> None:
        if not self.record.exists():
            return
        target = self.record.read_text()
        if not self.hosts.is_symlink():
            pointed = self.hosts.parent / target
            same = pointed.exists() and _same_bytes(pointed, self.hosts)
            if not same:
                kept = self.record.with_name("hosts.while-linked")
                _copy(self.hosts, kept)
                logger.info(
                    "%s held lines that %s does not; they are kept in %s", self.hosts, target, kept
                )
            temporary = self.hosts.with_name(TEMP_PREFIX + "link")
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(target)
            temporary.replace(self.hosts)
        self.record.unlink()


def _cut(stream: BinaryIO, start: int, end: int) -> None:
    """Take bytes [start, end) out of the file, moving what follows forward."""
    reading, writing = end, start
    while True:
        stream.seek(reading)
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        stream.seek(writing)
        stream.write(chunk)
        reading, writing = reading + len(chunk), writing + len(chunk)
    stream.truncate(writing)


def _same_bytes(first: Path, second: Path) -> bool:
    with first.open("rb") as stream:
        return hostsio.holds(second, hostsio.chunks(stream))


def _copy(source: Path, target: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with source.open("rb") as reading, os.fdopen(descriptor, "wb") as writing:
        for chunk in hostsio.chunks(reading):
            writing.write(chunk)
