"""Replace a file all at once: a crash leaves the old file or the new one, never a mix."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Temporary files are named so that a later run recognises, and removes, one a killed
# writer left behind.
TEMP_PREFIX = ".blocker-tmp-"


def write_atomically(
    path: Path, data: bytes, *, like: Path | None = None, mode: int = 0o600
) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`.
    The new file takes the mode and owner of `like` when given."""
    descriptor, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if like is not None and like.exists():
            shutil.copymode(like, temporary)
            status = like.stat()
            if hasattr(os, "chown") and os.geteuid() == 0:
                os.chown(temporary, status.st_uid, status.st_gid)
        else:
            Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows has no directory fsync; the rename itself is durable there
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and the parents blocker made for a file of its own, while they are
    empty: under Flatpak's folder of unmanaged extensions, every folder below it (such an
    extension is nothing but its folders); elsewhere the policy folder and its parent
    (`policies/managed`, `firefox/policies`). Stops at the first folder that is not empty."""
    extensions = root / "var/lib/flatpak/extension"
    levels = len(folder.relative_to(extensions).parts) if extensions in folder.parents else 2
    for candidate in (folder, *folder.parents)[:levels]:
        try:
            candidate.rmdir()
        except OSError:
            break
