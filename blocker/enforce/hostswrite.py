"""Writing a planned edit into the hosts file, as a transaction: write, fsync, read back,
verify.

Starting a block appends our section to the file and ending it cuts the section off, in
place: the person's own lines (5 MB of them where an ad-blocking list is installed) are
never rewritten, the file keeps its inode, owner, mode and security label, and a crash
leaves the old text or a cut section of ours, which the next run completes or removes.
Any other edit (a section someone moved into the middle, a damaged one) rewrites the
whole file, after keeping a private copy of it: a temporary file beside it, fsync,
rename; where the hosts file is a mount point (a bind mount, as containers use) rename is
impossible and the file is rewritten in place from the first changed byte.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
from pathlib import Path
from typing import BinaryIO

from blocker.errors import BlockerError, HostsFileError, NeedsRootError
from blocker.hosts import hostsedit, hostsio
from blocker.hosts.hostsedit import Edit, Splice
from blocker.system.atomic import TEMP_PREFIX

logger = logging.getLogger(__name__)


def explain(path: Path, action: str, error: OSError) -> BlockerError:
    """The error to show for an OSError while reading or writing `path`, in plain words."""
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


def write(path: Path, backup: Path, current: BinaryIO, edit: Edit, size: int) -> None:
    """Write `edit` of the file read through `current` (of `size` bytes when it was
    planned): in place at the end where only our section changes, else a whole rewrite
    after a private copy of the file in `backup`. Raises HostsFileError when the file does
    not hold what was written afterwards (another program wrote meanwhile)."""
    if edit.only_ours_at_the_end:
        _edit_end(path, edit.splices[0], size)
        return
    _keep_backup(path, backup)
    _replace(path, current, edit)


def _edit_end(path: Path, splice: Splice, size: int) -> None:
    """Append, replace or cut our section at the end of the file, in place: cut the
    file where our section starts, then append the new one. A write cut short leaves
    the person's lines and part of a section at the end, which the parse takes out
    whole; writing over the old section instead could merge a new line into the old
    end marker and leave a line of ours behind."""
    with path.open("r+b") as stream:
        if os.fstat(stream.fileno()).st_size != size:
            raise _moved_meanwhile(path)
        stream.truncate(splice.start)
        stream.seek(splice.start)
        stream.write(splice.insert)
        stream.flush()
        os.fsync(stream.fileno())
    with path.open("rb") as stream:
        if os.fstat(stream.fileno()).st_size != splice.start + len(splice.insert):
            raise _moved_meanwhile(path)
        stream.seek(splice.start)
        if stream.read() != splice.insert:
            raise _moved_meanwhile(path)


def _replace(path: Path, current: BinaryIO, edit: Edit) -> None:
    """Write the edited file beside the old one, a chunk at a time, and rename it over;
    where the hosts file is a mount point, copy it over in place from the first
    changed byte, so appending only writes the tail and cutting only truncates."""
    temporary, name = hostsio.temporary_beside(path)
    try:
        with temporary:
            hostsio.write_spliced(current, temporary, edit.splices)
            temporary.flush()
            os.fsync(temporary.fileno())
            _copy_owner_and_mode(path, name)
            try:
                name.replace(path)
                # The old file stays readable through `current` after the rename.
                expected = hostsio.spliced(current, edit.splices)
            except OSError as error:
                if error.errno not in (errno.EBUSY, errno.EXDEV):
                    raise
                logger.info("%s is a mount point; rewriting it in place", path)
                with path.open("r+b") as target:
                    hostsio.copy_into(temporary, target, edit.splices[0].start)
                    target.flush()
                    os.fsync(target.fileno())
                expected = hostsio.chunks(temporary)
            if not hostsio.holds(path, expected):
                raise _moved_meanwhile(path)
    finally:
        name.unlink(missing_ok=True)


def _copy_owner_and_mode(like: Path, path: Path) -> None:
    """A hosts file is readable by every program; a new one takes the old one's owner."""
    status = like.stat()
    path.chmod(stat.S_IMODE(status.st_mode) | 0o444)
    if hasattr(os, "chown") and os.geteuid() == 0:
        os.chown(path, status.st_uid, status.st_gid)


def _keep_backup(path: Path, backup: Path) -> None:
    """Before the first rewrite of the person's lines, a private copy of the file."""
    if backup.exists():
        return
    try:
        backup.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = backup.with_name(TEMP_PREFIX + backup.name)
        shutil.copyfile(path, temporary)
        temporary.chmod(0o600)
        temporary.replace(backup)
    except OSError as error:
        raise explain(backup, "write", error) from None
    logger.info("kept a copy of %s as it was in %s", path, backup)


def drop_backup(path: Path, backup: Path) -> None:
    """Once the section is gone, the copy is ours to remove, unless the file now differs
    from it by more than our section: then someone else edited it meanwhile, and the
    copy stays for them."""
    if not backup.exists():
        return
    with backup.open("rb") as stream:
        found, tail, _ = hostsio.scan(stream, ())
        edit = hostsedit.plan(found, tail, ())
        if edit is None:
            stream.seek(0)
            edit = hostsedit.whole_edit(stream.read(), ())
        same = hostsio.holds(path, hostsio.spliced(stream, edit.splices))
    if not same:
        logger.info(
            "%s was edited by someone else during the block; their edits are kept and "
            "the copy from before blocker rewrote it stays at %s",
            path,
            backup,
        )
        return
    backup.unlink()


def remove_stale_temp_files(path: Path) -> None:
    """Temporary files a killed writer left beside the hosts file."""
    try:
        leftovers = list(path.parent.glob(TEMP_PREFIX + "*"))
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
