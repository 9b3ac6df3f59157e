"""The hosts file read in chunks: what an edit needs to know of it, without holding it.

A hosts file may be hundreds of megabytes (ad-blocking lists), and the daemon reads it
after every change. So it is fed through `Scanner` a chunk at a time, cut at line ends,
and only what an edit needs is kept: where our first marker stands (the rest of the file
from there, our section at the end in the usual case, is read apart), the lines of ours
and the lines that give a blocked name a real address (a handful), and the counts that
decide the file's line ending. Pure: the caller reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from blocker.hosts import hoststext

CHUNK = 1 << 20  # what a scan holds at once, besides one line longer than that

_BEGIN = hoststext.BEGIN.encode()
_END = hoststext.END.encode()
# A line that may be ours or give names a real address: not blank, not a comment other
# than our OFF prefix, not a sink (0.x and 127.x, as ad-blocking lists write them), which
# blocks as well. The spec (`hoststext.foreign_names`) decides; this only skips, quickly,
# lines it would not take: one or two bytes' look at each line, after a newline so the
# regex engine jumps from line to line (a 6 MB list of sinks in about as long as copying it).
# (No group and no more than the line's start: capturing the line doubles the cost, and
# consuming it would skip the next line's newline; `_line_from` takes the line.)
_CANDIDATE = re.compile(rb"\n(?:[^0:#\n1]|0[^.]|1(?!27\.)|:(?!:1?[ \t])|#blocker-off: )")
_ARROWS = (b">", b"<")  # a marker's first ">" or "<" stands 2 bytes in: see _first_marker


@dataclass(frozen=True)
class Line:
    offset: int
    number: int  # 1 for the first line
    data: bytes  # with its line ending, where it has one


@dataclass(frozen=True)
class Scan:
    size: int
    first_marker: int | None  # where the first line holding a marker of ours starts
    lines: tuple[Line, ...]  # lines of ours (OFF, KEPT) and lines that defeat the block
    crlf: int  # over the whole file
    lf: int | None  # counted only on request (Scanner)
    own_line: bool  # whether a line before any marker is the person's own (holds_own_line)

    @property
    def needs_line_count(self) -> bool:
        """Whether the line ending is to be decided (CRLF seen) without the LF count."""
        return bool(self.crlf) and self.lf is None

    def tail_start(self) -> int:
        """From where the rest of the file is read for the section: the first marker's
        line (or the end) and the line ending before it, to which a section may be
        joined."""
        return max(0, (self.size if self.first_marker is None else self.first_marker) - 2)


@dataclass(frozen=True)
class Prefix:
    """What a scan learnt of a file's first `size` bytes, whatever names are blocked: so
    a file blocker itself left as it is need not be read again, only our part of it."""

    size: int
    candidates: tuple[Line, ...]  # every line that may be ours or defeat a block
    crlf: int
    lf: int | None
    own_plain: bool  # a line of the person's that can never defeat a block


# More candidates than this (a hosts file of real addresses) are not kept for a Prefix.
_MOST_CANDIDATES = 10_000
# How many lines of a chunk are looked at for a plain line of the person's (nearly every
# file's first line is one; past that, the candidates decide).
_PLAIN_LOOK = 256


class Scanner:
    """Feed it the file's bytes in order, in chunks of any size; then `finish`. Lines are
    numbered, and LF endings counted, only with `count_lines`: counting costs as much as
    the rest of the scan, and only a report (or a file with CRLF endings) needs it. From
    a `Prefix`, it goes on from where that one stopped."""

    def __init__(
        self, names: Iterable[str], *, count_lines: bool = False, prefix: Prefix | None = None
    ) -> None:
        self._wanted = frozenset(names)
        self._count_lines = count_lines
        self._carry = b""
        self._offset = prefix.size if prefix else 0  # of the carry's first byte
        self._number = 1  # the line number there, when counted
        self._first_marker: int | None = None
        self._candidates: list[Line] = list(prefix.candidates) if prefix else []
        self._crlf = prefix.crlf if prefix else 0
        self._lf = (prefix.lf or 0) if prefix else 0
        self._own_plain = prefix.own_plain if prefix else False

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk if self._carry else chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            self._carry = data
            return
        self._block(data if cut == len(data) else data[:cut])
        self._carry = data[cut:]

    def finish(self) -> Scan:
        if self._carry:
            self._block(self._carry)
            self._carry = b""
        lf = self._lf if self._count_lines else None
        wanted = [line for line in self._candidates if self._wanted_line(line.data)]
        marker = self._offset if self._first_marker is None else self._first_marker
        own = self._own_plain or any(
            line.offset < marker and self._is_own(line.data) for line in self._candidates
        )
        return Scan(self._offset, self._first_marker, tuple(wanted), self._crlf, lf, own)

    def prefix(self, size: int, tail: bytes, base: int) -> Prefix | None:
        """After `finish`, the Prefix of the first `size` bytes (a line start, at or
        before our section), given the file's bytes from `base` on; None where too many
        candidates were found to keep."""
        if len(self._candidates) > _MOST_CANDIDATES or not base <= size <= base + len(tail):
            return None
        kept = tuple(line for line in self._candidates if line.offset < size)
        crlf = self._crlf - tail.count(b"\r\n", size - base)
        lf = self._lf - tail.count(b"\n", size - base) if self._count_lines else None
        return Prefix(size, kept, crlf, lf, self._own_plain)

    def _block(self, block: bytes) -> None:
        """Whole lines (the last may lack its ending only at the end of the file)."""
        offset = self._offset
        if self._first_marker is None:
            at = _first_marker(block)
            if at is not None:
                self._first_marker = offset + at
            if not self._own_plain:
                self._own_plain = _has_plain_line(block[:at])
        if block.find(b"\r") >= 0:
            self._crlf += block.count(b"\r\n")
        found = []
        first = block[: block.find(b"\n") + 1 or len(block)]
        if _CANDIDATE.match(b"\n" + first):
            found.append((0, first))
        found.extend(_line_from(block, m.start() + 1) for m in _CANDIDATE.finditer(block))
        counted, number = 0, self._number
        for start, line in found:
            if self._count_lines:
                number += block.count(b"\n", counted, start)
                counted = start
            self._candidates.append(Line(offset + start, number if self._count_lines else 0, line))
        if self._count_lines:
            newlines = block.count(b"\n")
            self._lf += newlines
            self._number += newlines
        self._offset += len(block)

    def _wanted_line(self, line: bytes) -> bool:
        text = hoststext.decode(line)
        if text.startswith(hoststext.OFF) or hoststext.is_kept(text):
            return True
        return bool(self._wanted) and bool(hoststext.foreign_names(text, self._wanted))

    def _is_own(self, line: bytes) -> bool:
        text = hoststext.decode(line)
        return hoststext.holds_own_line(text, self._wanted)


def _has_plain_line(block: bytes) -> bool:
    """Whether one of the block's first lines is the person's and can never defeat a block
    (not blank, not a candidate, not ours)."""
    start = 0
    for _ in range(_PLAIN_LOOK):
        if start >= len(block):
            return False
        end = block.find(b"\n", start)
        end = len(block) if end < 0 else end + 1
        line = block[start:end]
        plain = line.strip() and not _CANDIDATE.match(b"\n" + line)
        if plain and not hoststext.is_kept(hoststext.decode(line)):
            return True
        start = end
    return False


def _line_from(block: bytes, start: int) -> tuple[int, bytes]:
    end = block.find(b"\n", start)
    return start, block[start : len(block) if end < 0 else end + 1]


def _first_marker(block: bytes) -> int | None:
    """Where the first line holding our begin or end marker starts. Hosts files rarely
    hold ">" or "<", and finding one byte is a memchr, so most files are searched in a
    fraction of the time a search for the whole marker takes."""
    hits = []
    for arrow, marker in zip(_ARROWS, (_BEGIN, _END), strict=True):
        first = block.find(arrow)
        position = block.find(marker, max(0, first - 2)) if first >= 0 else -1
        if position >= 0:
            hits.append(position)
    return block.rfind(b"\n", 0, min(hits)) + 1 if hits else None
