"""The hosts-file enforcer: make the file hold exactly our section for the desired domains.

An edit is a transaction: read, compute, write a temporary file beside the hosts file,
fsync, rename over it, read back and verify. Where the hosts file is a mount point (a bind
mount, as containers use) rename is impossible; the file is then rewritten in place from
the first changed byte, never truncated first, so a crash leaves either the old text or a
longer text whose unfinished section the next run repairs.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blocker import hoststext
from blocker.atomic import TEMP_PREFIX, write_atomically
from blocker.errors import BlockerError, HostsFileError, NeedsRootError

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


class HostsFile:
    """One hosts file. Not thread-safe: the daemon's loop is its only caller. Every method
    blocks on file I/O and is idempotent."""

    def __init__(self, path: Path, backup: Path) -> None:
        self.path = path
        self.backup = backup

    def read(self) -> str:
        try:
            return hoststext.decode(self.path.read_bytes())
        except OSError as error:
            raise _explain(self.path, "read", error) from None

    def blocked(self) -> frozenset[str]:
        return hoststext.blocked_names(self.read())

    def reconcile(self, domains: Sequence[str]) -> HostsResult:
        """Make the file hold our section for `domains` (none: no section at all)."""
        self._remove_stale_temp_files()
        current = self.read()
        desired = hoststext.apply_section(current, domains)
        if desired == current:
            return HostsResult(False, hoststext.blocked_names(current))
        if domains and not hoststext.has_section(current):
            self._keep_backup(current)
        self._write(desired, current)
        written = self.read()
        if written != desired:
            raise HostsFileError(
                f"{self.path} did not keep what blocker wrote (another program may be "
                "rewriting it); blocker will try again"
            )
        if not domains:
            self._drop_backup(written)
        return HostsResult(True, hoststext.blocked_names(written))

    def _keep_backup(self, current: str) -> None:
        if self.backup.exists():
            return
        self.backup.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(self.backup, hoststext.encode(current), mode=0o600)
        logger.info("kept a copy of %s as it was in %s", self.path, self.backup)

    def _drop_backup(self, restored: str) -> None:
        """The backup has served its purpose once the section is gone; it is ours to remove."""
        if not self.backup.exists():
            return
        if hoststext.decode(self.backup.read_bytes()) != restored:
            logger.info(
                "%s was edited by someone else during the block; their edits are kept and "
                "the copy from before the block stays at %s",
                self.path,
                self.backup,
            )
            return
        self.backup.unlink()

    def _write(self, desired: str, current: str) -> None:
        data = hoststext.encode(desired)
        try:
            write_atomically(self.path, data, like=self.path)
        except OSError as error:
            if error.errno not in (errno.EBUSY, errno.EXDEV):
                raise _explain(self.path, "write", error) from None
            logger.info("%s is a mount point; rewriting it in place", self.path)
            try:
                _write_in_place(self.path, data, hoststext.encode(current))
            except OSError as in_place_error:
                raise _explain(self.path, "write", in_place_error) from None

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
