"""The hosts file's bytes moved in chunks: scanned, copied, rewritten, compared.

A hosts file may be hundreds of megabytes, and the daemon lives for weeks: nothing here
holds more of it than `hostsscan.CHUNK` at once (and our section, read apart).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from blocker.hosts.hostsedit import Splice
from blocker.hosts.hostsscan import CHUNK, Prefix, Scan, Scanner
from blocker.system.atomic import TEMP_PREFIX


def chunks(stream: BinaryIO, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """The stream's bytes [start, end) (to the end: None), a chunk at a time."""
    stream.seek(start)
    left = None if end is None else end - start
    while left is None or left > 0:
        chunk = stream.read(CHUNK if left is None else min(CHUNK, left))
        if not chunk:
            return
        if left is not None:
            left -= len(chunk)
        yield chunk


def scan(
    stream: BinaryIO,
    names: Iterable[str],
    tee: BinaryIO | None = None,
    prefix: Prefix | None = None,
) -> tuple[Scan, bytes, Scanner]:
    """The scan of the whole stream (from where `prefix` stops, which it stands for), and
    its bytes from the scan's `tail_start` on (our section, in the usual file). With
    `tee` (and no prefix), every byte read is also written there."""
    scanner = Scanner(names, prefix=prefix)
    for chunk in chunks(stream, prefix.size if prefix else 0):
        scanner.feed(chunk)
        if tee is not None:
            tee.write(chunk)
    result = scanner.finish()
    if result.needs_line_count:  # CRLF endings: the LF count decides the line ending
        scanner = Scanner(names, count_lines=True)
        for chunk in chunks(stream):
            scanner.feed(chunk)
        result = scanner.finish()
    stream.seek(result.tail_start())
    return result, stream.read(), scanner


def count_lines(stream: BinaryIO, names: Iterable[str]) -> Scan:
    """The scan with lines numbered (for a report, or a file with CRLF endings)."""
    scanner = Scanner(names, count_lines=True)
    for chunk in chunks(stream):
        scanner.feed(chunk)
    return scanner.finish()


def spliced(source: BinaryIO, splices: Iterable[Splice]) -> Iterator[bytes]:
    """The source's bytes with the splices applied, a piece at a time."""
    cursor = 0
    for splice in splices:
        yield from chunks(source, cursor, splice.start)
        yield splice.insert
        cursor = splice.end
    yield from chunks(source, cursor)


def write_spliced(source: BinaryIO, target: BinaryIO, splices: Iterable[Splice]) -> None:
    for piece in spliced(source, splices):
        target.write(piece)


def holds(path: Path, pieces: Iterable[bytes]) -> bool:
    """Whether the file holds exactly these bytes, compared a piece at a time (no hash: a
    digest library costs the daemon megabytes of memory for a comparison)."""
    with path.open("rb") as stream:
        for piece in pieces:
            if stream.read(len(piece)) != piece:
                return False
        return not stream.read(1)


def temporary_beside(path: Path) -> tuple[BinaryIO, Path]:
    """A new file beside `path`, named so a later run removes one a killed writer left."""
    descriptor, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    return os.fdopen(descriptor, "w+b"), Path(name)


def copy_into(source: BinaryIO, target: BinaryIO, start: int) -> None:
    """Overwrite `target` from `start` with the source's bytes from there, in place."""
    target.seek(start)
    for chunk in chunks(source, start):
        target.write(chunk)
    target.truncate()
