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

import errno
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blocker import hostsedit, hoststext
from blocker.atomic import TEMP_PREFIX, write_atomically
from blocker.errors import BlockerError, HostsFileError, NeedsRootError
from blocker.hostsedit import Splice

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostsResult:
    changed: bool
    blocked: frozenset[str]


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

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise _explain(self.path, "read", error) from None

    def read(self) -> str:
        return hoststext.decode(self.read_bytes())

    def blocked(self) -> frozenset[str]:
        return hoststext.blocked_names(self.read())

    def reconcile(self, domains: Sequence[str]) -> HostsResult:
        """Make the file hold our section for `domains` (none: no section at all)."""
        self._remove_stale_temp_files()
        current = self.read_bytes()
        splice = hostsedit.section_splice(current, domains)
        # The verified file holds exactly the section we wrote, so it blocks `domains`.
        result = HostsResult(splice.changes(current), frozenset(domains))
        if not result.changed:
            return result
        try:
            if splice.only_ours_at_the_end(current):
                self._edit_end(splice, len(current))
            else:
                self._keep_backup(current)
                self._replace(splice.apply(current), current)
        except OSError as error:
            raise _explain(self.path, "write", error) from None
        if not domains:
            self._drop_backup(current, splice)
        return result

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

    def _replace(self, desired: bytes, current: bytes) -> None:
        try:
            write_atomically(self.path, desired, like=self.path)
        except OSError as error:
            if error.errno not in (errno.EBUSY, errno.EXDEV):
                raise
            logger.info("%s is a mount point; rewriting it in place", self.path)
            _write_in_place(self.path, desired, current)
        if self.read_bytes() != desired:
            raise _moved_meanwhile(self.path)

    def _keep_backup(self, current: bytes) -> None:
        """Before the first rewrite of the person's lines, a private copy of the file."""
        if self.backup.exists():
            return
        try:
            self.backup.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self.backup, current, mode=0o600)
        except OSError as error:
            raise _explain(self.backup, "write", error) from None
        logger.info("kept a copy of %s as it was in %s", self.path, self.backup)

    def _drop_backup(self, before: bytes, removal: Splice) -> None:
        """Once the section is gone, the copy is ours to remove, unless the file now differs
        from it by more than our section: then someone else edited it meanwhile, and the
        copy stays for them."""
        if not self.backup.exists():
            return
        kept = hoststext.remove_section(hoststext.decode(self.backup.read_bytes()))
        if hoststext.encode(kept) != removal.apply(before):
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


def _write_in_place(path: Path, data: bytes, current: bytes) -> None:
    """Rewrite a file that cannot be replaced, from the first byte that differs.

    Appending a section only writes the new tail, and removing one only cuts the file
    shorter, so in the common cases a crash leaves the old text intact."""
    common = _common_prefix_length(data, current)
    with path.open("r+b") as stream:
        stream.seek(common)
        stream.write(data[common:])
        stream.truncate(len(data))
        stream.flush()
        os.fsync(stream.fileno())


def _common_prefix_length(first: bytes, second: bytes) -> int:
    """Length of the shared start of two byte strings, compared in large slices (memcmp)
    and then narrowed by halving, so a 5 MB hosts file costs microseconds, not a loop."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[low:middle] == second[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low
