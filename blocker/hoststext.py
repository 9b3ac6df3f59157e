"""The hosts file as text: our one marked section put in, replaced or taken out, pure.

Everything outside the section is kept byte-for-byte: the text is decoded with
surrogateescape, so any byte survives the round trip, and only "\\n" ends a line. The
section follows the file's own line ending (CRLF or LF). When the file did not end with a
newline, the section is appended after one and itself ends without one, so taking it out
restores the file exactly.

Markers are found with str.find, so a 150,000-line hosts file is never split into lines
just to look for the few lines that are ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

BEGIN = "# >>> blocker: no-stalking block >>>"
END = "# <<< blocker: end of block <<<"
HEADER = (
    "# Managed by blocker while your no-stalking period is on. It is removed by itself",
    "# when the period ends; edits here are put back. `blocker status` tells more.",
)
SINKS = ("0.0.0.0", "::")  # noqa: S104  (sink addresses written in the hosts file, not a bind)
_COUNT = re.compile(r"^# blocker: (\d+) names$")
_SINK_LINE = re.compile(r"^(?:0\.0\.0\.0|::) [a-z0-9.-]+\r?$")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def line_ending(text: str) -> str:
    if "\r" not in text:  # one quick scan settles it for nearly every file
        return "\n"
    return "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"


def section(domains: Iterable[str], eol: str) -> str:
    """Our section, each line ended by `eol`. Domains are already validated names."""
    names = list(domains)
    head = "".join(line + eol for line in (BEGIN, *HEADER, f"# blocker: {len(names)} names"))
    ipv4, ipv6 = SINKS
    # One f-string per name: a 10,000-name list is built in about a millisecond.
    sinks = "".join([f"{ipv4} {name}{eol}{ipv6} {name}{eol}" for name in names])
    return head + sinks + END + eol


def _line_at(text: str, position: int) -> tuple[int, int]:
    """The span of the line holding `position`, its ending included."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end + 1


def _marker_lines(text: str, marker: str) -> Iterator[tuple[int, int]]:
    """Spans of the lines that consist of `marker` (surrounding blanks allowed)."""
    position = text.find(marker)
    while position >= 0:
        start, end = _line_at(text, position)
        if text[start:end].strip() == marker:
            yield start, end
        position = text.find(marker, end)


_NAME_CHARACTERS = re.compile(r"^[a-z0-9.-]*$")


def _is_cut_line_of_ours(line: str) -> bool:
    """Whether `line` is the start of a line we write (a header, count, sink or end line)."""
    counted = re.match(r"# blocker: (\d+)", line)
    if counted:
        return f"# blocker: {counted[1]} names".startswith(line)
    for sink in SINKS:
        lead = sink + " "
        if lead.startswith(line) or (
            line.startswith(lead) and _NAME_CHARACTERS.match(line[len(lead) :])
        ):
            return True
    return any(ours.startswith(line) for ours in (*HEADER, END, "# blocker: "))


def _unterminated_end(text: str, start: int) -> int:
    """Where a section whose end marker is missing stops. Such a section is what an
    interrupted in-place write leaves, or a person's edit: it takes our header lines and
    then at most as many sink lines as its count line announced, so no line of anyone
    else's (an ad-blocking list also says 0.0.0.0) is ever taken out with it."""
    position, remaining = start, 0
    while position < len(text):
        line_end = _line_at(text, position)[1]
        line = text[position:line_end].rstrip("\n").rstrip("\r")
        count = _COUNT.match(line)
        if line in HEADER or count:
            remaining = int(count[1]) * len(SINKS) if count else remaining
        elif remaining and _SINK_LINE.match(line):
            remaining -= 1
        elif line_end == len(text) and not text.endswith("\n") and _is_cut_line_of_ours(line):
            pass  # the half-written last line of an interrupted write
        else:
            break
        position = line_end
    return position


# The shortest start of our begin marker that is taken for one cut short at the end of the
# file. A write killed after one or two bytes of it leaves "#" or "# ", which a person's
# file may end with too; those stay.
_SHORTEST_CUT_BEGIN = 3


def _cut_begin_line(text: str) -> int | None:
    """Where the file's unfinished last line starts, if it is our begin marker cut short."""
    start = text.rfind("\n") + 1
    last = text[start:]
    if _SHORTEST_CUT_BEGIN <= len(last) < len(BEGIN) and BEGIN.startswith(last):
        return start
    return None


@dataclass(frozen=True)
class _Parsed:
    outside: str  # the text without our section(s): the file as it was before us
    position: int | None  # where in `outside` the first section stood
    sections: tuple[str, ...]


def _parse(text: str) -> _Parsed:
    begins = list(_marker_lines(text, BEGIN))
    ends = list(_marker_lines(text, END))
    sections: list[tuple[int, int, bool]] = []  # (start, end, whether its end marker is there)
    for index, (start, after_begin) in enumerate(begins):
        if sections and start < sections[-1][1]:
            continue
        next_begin = begins[index + 1][0] if index + 1 < len(begins) else len(text)
        end = next((e for e in ends if after_begin <= e[0] < next_begin), None)
        finish = end[1] if end else _unterminated_end(text, after_begin)
        sections.append((start, finish, end is not None))
    stray_ends = [e for e in ends if not any(s <= e[0] < f for s, f, _ in sections)]
    cut_begin = _cut_begin_line(text)
    if cut_begin is not None and not any(s <= cut_begin < f for s, f, _ in sections):
        sections.append((cut_begin, len(text), False))
    pieces: list[str] = []
    cursor, position, separator = 0, None, ""
    for start, finish, terminated in sorted([*sections, *((s, f, False) for s, f in stray_ends)]):
        pieces.append(text[cursor:start])
        cursor = finish
        if (start, finish) in stray_ends:
            continue
        if position is None:
            position = sum(map(len, pieces))
        # A whole section that ends the file without a final newline was joined to a file
        # that had none, after a line ending of ours written like the section's own.
        joined = terminated and finish == len(text) and not text.endswith("\n")
        separator = ("\r\n" if text.startswith(BEGIN + "\r\n", start) else "\n") if joined else ""
    pieces.append(text[cursor:])
    outside = "".join(pieces)
    if separator and outside.endswith(separator):
        outside = outside[: -len(separator)]
    return _Parsed(outside, position, tuple(text[s:f] for s, f, _ in sections))


def remove_section(text: str) -> str:
    """The text without any section of ours; exactly what it was before we added one."""
    return _parse(text).outside


def apply_section(text: str, domains: Iterable[str]) -> str:
    """The text with exactly one section of ours blocking `domains` (none: no section)."""
    names = list(domains)
    parsed = _parse(text)
    original = parsed.outside
    if not names:
        return original
    eol = line_ending(original)
    block = section(names, eol)
    if parsed.position is not None and parsed.position < len(original):
        return original[: parsed.position] + block + original[parsed.position :]
    if original and not original.endswith("\n"):
        return original + eol + block[: -len(eol)]
    return original + block


def has_section(text: str) -> bool:
    return next(_marker_lines(text, BEGIN), None) is not None


def blocked_names(text: str) -> frozenset[str]:
    """The names our section currently sinks (for verification and status)."""
    names: set[str] = set()
    for part in _parse(text).sections:
        for line in part.split("\n"):
            fields = line.split()
            if len(fields) == 2 and fields[0] in SINKS:
                names.add(fields[1])
    return frozenset(names)
