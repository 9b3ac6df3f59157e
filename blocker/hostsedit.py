"""The hosts file as bytes: the smallest edit that gives it our section, pure.

A 150,000-line hosts file is 5 MB, and decoding it, splitting it or joining pieces of it
costs more than writing it. So the usual files (no section yet, or one intact section)
are never decoded: the edit is computed as a splice, "replace bytes [start, end) with
these", which for a block starting or ending is an append or a cut at the end of the file.
Anything unusual (a doubled, cut or edited section) takes the full parse in `hoststext`,
which is the specification: a splice always gives exactly what `apply_section` gives.

An append killed halfway leaves part of a section at the end, which the parse takes out
whole, with two exceptions it cannot tell from other files: after one or two bytes ("#",
"# ", which may be a person's own last line) they stay, and after all but the last
newline (the form a whole section takes after a last line without a newline) the
person's final newline goes with it. Both are a single byte's chance in a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from blocker import hoststext

_BEGIN = hoststext.BEGIN.encode()
_END = hoststext.END.encode()
# Where the first ">" and "<" stand in a marker: a file holds a marker only after its
# first ">" or "<". Hosts files rarely hold either, and finding one byte is a memchr, so
# most files are searched in a fraction of the time a search for the whole marker takes.
_ARROW_OFFSET = 2


@dataclass(frozen=True)
class Splice:
    """The new file is the old one with bytes [start, end) replaced by `insert`."""

    start: int
    end: int
    insert: bytes
    whole: bool = False  # the full parse rewrote the file: the person's lines included

    def apply(self, data: bytes) -> bytes:
        return data[: self.start] + self.insert + data[self.end :]

    def changes(self, data: bytes) -> bool:
        same_length = self.end - self.start == len(self.insert)
        return not (same_length and data[self.start : self.end] == self.insert)

    def only_ours_at_the_end(self, data: bytes) -> bool:
        """Whether the edit touches only our section at the end of the file (or appends
        one), so the person's lines before it need not be written at all. Not so where the
        file's last line has no newline: the newline we add there must come and go with
        the section in one step, or a cut write could leave it behind."""
        after_a_line = self.start == 0 or data[self.start - 1] == ord("\n")
        return not self.whole and self.end == len(data) and after_a_line


def _is_marker_line(data: bytes, position: int, marker: bytes) -> bool:
    """Whether the `marker` found at `position` is a whole line, exactly as we write it (the
    end marker may end the file: our section does, after a last line without a newline)."""
    after = position + len(marker)
    at_line_start = position == 0 or data[position - 1] == ord("\n")
    ends_line = data.startswith(b"\n", after) or data.startswith(b"\r\n", after)
    return at_line_start and (ends_line or (marker is _END and after == len(data)))


def _intact_section(data: bytes) -> tuple[int, int] | None:
    """The span of our one intact section ((len, len) when there is none), or None when
    the file needs the full parse: a doubled or cut section, a stray or edited marker."""
    first_gt, first_lt = data.find(b">"), data.find(b"<")
    begin = data.find(_BEGIN, max(0, first_gt - _ARROW_OFFSET)) if first_gt >= 0 else -1
    end = data.find(_END, max(0, first_lt - _ARROW_OFFSET)) if first_lt >= 0 else -1
    if begin < 0:
        return (len(data), len(data)) if end < 0 else None
    if end < begin or data.find(_BEGIN, begin + 1) >= 0 or data.find(_END, end + 1) >= 0:
        return None
    if not (_is_marker_line(data, begin, _BEGIN) and _is_marker_line(data, end, _END)):
        return None
    if end + len(_END) == len(data):
        # Joined to a last line that had no newline: the newline we put before the
        # section (in the section's own line ending) goes with it.
        joint = b"\r\n" if data.startswith(_BEGIN + b"\r\n", begin) else b"\n"
        return begin - len(joint) if data.endswith(joint, 0, begin) else begin, len(data)
    return begin, data.index(b"\n", end) + 1


def _line_ending_around(data: bytes, start: int, end: int) -> str:
    """`hoststext.line_ending` of the file without bytes [start, end), without copying."""
    if data.find(b"\r", 0, start) < 0 and data.find(b"\r", end) < 0:
        return "\n"
    crlf = data.count(b"\r\n", 0, start) + data.count(b"\r\n", end)
    lf = data.count(b"\n", 0, start) + data.count(b"\n", end)
    return "\r\n" if crlf * 2 > lf else "\n"


def section_splice(data: bytes, domains: Iterable[str]) -> Splice:
    """The edit that makes `data` hold exactly one section of ours for `domains` (none: no
    section at all)."""
    span = _intact_section(data)
    if span is None:
        whole = hoststext.apply_section(hoststext.decode(data), domains)
        return Splice(0, len(data), hoststext.encode(whole), whole=True)
    start, end = span
    names = list(domains)
    if not names:
        return Splice(start, end, b"")
    eol = _line_ending_around(data, start, end)
    block = hoststext.encode(hoststext.section(names, eol))
    if end == len(data) and start > 0 and data[start - 1] != ord("\n"):
        # A file without a final newline gets one before the section, and the section
        # goes without its last, so taking the section out gives the file back exactly.
        return Splice(start, end, hoststext.encode(eol) + block[: -len(eol)])
    return Splice(start, end, block)


# A line that gives names a real address: not blank, not a comment, and not a sink (ours,
# or the 0.0.0.0 / 127.0.0.1 that ad-blocking lists use), because a sink blocks as well.
# It is matched after a newline so the regex engine jumps from line to line.
_ADDRESS_LINE = re.compile(
    rb"\n(?![ \t]*(?:#|(?:0\.0\.0\.0|::|127\.0\.0\.1|::1)[ \t]|\r?(?:\n|$)))([^\n]*)"
)


def _address_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of each line that gives names a real address."""
    newline = data.find(b"\n")
    first = data if newline < 0 else data[:newline]
    if _ADDRESS_LINE.match(b"\n" + first):
        yield 0, first
    for line in _ADDRESS_LINE.finditer(data):
        yield line.start() + 1, line[1]


def foreign_entries(data: bytes, names: Iterable[str]) -> dict[str, int]:
    """Names we block that another line of the file gives a real address, with that line's
    number. Resolvers return every address a hosts file gives a name, so such a line
    defeats the block for that name; the person has to know."""
    wanted = set(names)
    found: dict[str, int] = {}
    for offset, line in _address_lines(data):
        for field in line.split(b"#", 1)[0].split()[1:]:
            name = hoststext.decode(field).lower()
            if name in wanted and name not in found:
                found[name] = data.count(b"\n", 0, offset) + 1
    return found
