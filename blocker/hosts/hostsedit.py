"""The hosts file as bytes: the smallest edit that gives it our section, pure.

A 150,000-line hosts file is 5 MB, and decoding it, splitting it or joining pieces of it
costs more than writing it. So the usual files (no section yet, or one intact section)
are never decoded: the edit is computed as a splice, "replace bytes [start, end) with
these", which for a block starting or ending is an append or a cut at the end of the file.
Lines elsewhere that give a blocked name a real address (found by `hostsscan`, which reads
the file in chunks) are neutralised by splices of their own, one per run of lines. Anything
unusual (a doubled, cut or edited section) takes the full parse in `hoststext`, which is
the specification: the splices always give exactly what `apply_section` gives.

An append killed halfway leaves part of a section at the end, which the parse takes out
whole, with two exceptions it cannot tell from other files: after one or two bytes ("#",
"# ", which may be a person's own last line) they stay, and after all but the last
newline (the form a whole section takes after a last line without a newline) the
person's final newline goes with it. Both are a single byte's chance in a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from blocker.hosts import hoststext
from blocker.hosts.hostsscan import CHUNK, Line, Scan, Scanner

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


@dataclass(frozen=True)
class Edit:
    """The splices that make a file what it should be: sorted, apart, each a change."""

    splices: tuple[Splice, ...]
    whole: bool = False  # the full parse rewrote the file: the person's lines included
    # Whether the edit is only our section at the end of the file (or appending one), so
    # the person's lines need not be written at all. Not so where the file's last line has
    # no newline: the newline we add there must come and go with the section in one step,
    # or a cut write could leave it behind.
    only_ours_at_the_end: bool = False
    vanished: bool = False  # the file holds no line of the person's (holds_own_line)
    section: tuple[int, int] | None = None  # where our section stood (None: not known)

    @property
    def changed(self) -> bool:
        return bool(self.splices)

    def apply(self, data: bytes) -> bytes:
        pieces, cursor = [], 0
        for splice in self.splices:
            pieces += [data[cursor : splice.start], splice.insert]
            cursor = splice.end
        return b"".join([*pieces, data[cursor:]])


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


def whole_edit(data: bytes, domains: Iterable[str]) -> Edit:
    """The edit by the full parse: one splice for the whole file."""
    names = list(domains)
    text = hoststext.decode(data)
    desired = hoststext.encode(hoststext.apply_section(text, names))
    vanished = not hoststext.holds_own_line(hoststext.remove_section(text), frozenset(names))
    splices = (Splice(0, len(data), desired),) if desired != data else ()
    return Edit(splices, whole=True, vanished=vanished)


def plan(scan: Scan, tail: bytes, domains: Iterable[str]) -> Edit | None:
    """The edit for a scanned file, given its bytes from `scan.tail_start()` on; None when
    the file needs the full parse (`whole_edit`)."""
    names = list(domains)
    base = scan.tail_start()
    span = _intact_section(tail)
    if span is None:
        return None
    start, end = span[0] + base, span[1] + base
    wanted = frozenset(names)
    outside = [_trimmed(line, start) for line in scan.lines if not start <= line.offset < end]
    eol = _line_ending(scan, tail, start - base, end - base, outside)
    splices = [*_line_splices(outside, wanted, eol)]
    section_splice = _section_splice(tail, base, (start, end), names, eol)
    if section_splice is not None:
        splices.append(section_splice)
        splices.sort(key=lambda splice: splice.start)
    after = hoststext.decode(tail[end - base :])
    vanished = not scan.own_line and not hoststext.holds_own_line(after, wanted)
    at_the_end = section_splice is not None and splices == [section_splice]
    at_the_end = at_the_end and end == scan.size and (start == 0 or tail[start - base - 1] == 10)
    return Edit(tuple(splices), False, at_the_end, vanished, (start, end))


def _trimmed(line: Line, section_start: int) -> Line:
    """A last line joined to our section loses the line ending that belongs to it."""
    if line.offset < section_start < line.offset + len(line.data):
        return Line(line.offset, line.number, line.data[: section_start - line.offset])
    return line


def _line_ending(scan: Scan, tail: bytes, start: int, end: int, outside: list[Line]) -> str:
    """`hoststext.line_ending` of the person's text: the file without our section and
    without our KEPT lines."""
    if not scan.crlf:
        return "\n"
    if scan.lf is None:
        raise ValueError("a file with CRLF endings needs a scan that counts lines")
    # From a byte before the section, for a CRLF that a section joined to a last line split.
    crlf = scan.crlf - tail.count(b"\r\n", max(0, start - 1), end)
    lf = scan.lf - tail.count(b"\n", start, end)
    for line in outside:
        if hoststext.is_kept(hoststext.decode(line.data)):
            crlf, lf = crlf - line.data.count(b"\r\n"), lf - line.data.count(b"\n")
    return "\r\n" if crlf * 2 > lf else "\n"


def _line_splices(lines: list[Line], wanted: frozenset[str], eol: str) -> Iterator[Splice]:
    """For each run of adjacent lines of ours or lines that defeat the block: the same run
    put back and, while blocking, neutralised again, where that changes it."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs and runs[-1][-1].offset + len(runs[-1][-1].data) == line.offset:
            runs[-1].append(line)
        else:
            runs.append([line])
    for run in runs:
        old = b"".join(line.data for line in run)
        text = hoststext.restore(hoststext.decode(old))
        new = hoststext.encode(hoststext.neutralise(text, wanted, eol) if wanted else text)
        if new != old:
            yield Splice(run[0].offset, run[0].offset + len(old), new)


def _section_splice(
    tail: bytes, base: int, span: tuple[int, int], names: list[str], eol: str
) -> Splice | None:
    """The splice that puts our section for `names` (none: no section) at `span`."""
    start, end = span
    old = tail[start - base : end - base]
    if not names:
        insert = b""
    else:
        insert = hoststext.encode(hoststext.section(names, eol))
        if end == base + len(tail) and start > 0 and tail[start - base - 1] != ord("\n"):
            # A file without a final newline gets one before the section, and the section
            # goes without its last, so taking the section out gives the file back exactly.
            insert = hoststext.encode(eol) + insert[: -len(eol)]
    return None if insert == old else Splice(start, end, insert)


def edit_for(data: bytes, domains: Iterable[str], chunk: int = CHUNK) -> Edit:
    """The edit for `data` held in memory, scanned `chunk` bytes at a time as a file is."""
    names = list(domains)
    scan = scan_bytes(data, names, chunk)
    if scan.needs_line_count:
        scan = scan_bytes(data, names, chunk, count_lines=True)
    edit = plan(scan, data[scan.tail_start() :], names)
    return whole_edit(data, names) if edit is None else edit


def scan_bytes(data: bytes, names: Iterable[str], chunk: int, *, count_lines: bool = False) -> Scan:
    scanner = Scanner(names, count_lines=count_lines)
    for position in range(0, len(data), chunk):
        scanner.feed(data[position : position + chunk])
    return scanner.finish()


def foreign_entries(data: bytes, names: Iterable[str]) -> dict[str, int]:
    """Names we block that another line of the file gives a real address, with that line's
    number (the first such line for each)."""
    wanted = frozenset(names)
    found: dict[str, int] = {}
    for line in scan_bytes(data, wanted, CHUNK, count_lines=True).lines:
        for name in hoststext.foreign_names(hoststext.decode(line.data), wanted):
            found.setdefault(name.lower().rstrip("."), line.number)
    return found
