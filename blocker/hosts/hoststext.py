"""The hosts file as text: our one marked section put in, replaced or taken out, pure.

Everything outside the section is kept byte-for-byte: the text is decoded with
surrogateescape, so any byte survives the round trip, and only "\\n" ends a line. The
section follows the file's own line ending (CRLF or LF). When the file did not end with a
newline, the section is appended after one and itself ends without one, so taking it out
restores the file exactly.

While a block is on, another line that gives a blocked name a real address would win over
our section (resolvers return every address the file gives a name, and a real one sorts
before 0.0.0.0), so it is neutralised: commented out behind `OFF`, and where it also names
other hosts, a line of ours marked `KEPT` gives those their address just before it. Taking
the block out drops the `KEPT` lines and the `OFF` prefixes, byte for byte.

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
OFF = "#blocker-off: "  # the prefix that turns a line giving a blocked name an address off
KEPT = " #blocker-kept"  # ends a line of ours that keeps that line's other names working
# Addresses that block as well as ours do: 0.0.0.0/8 reaches no other machine, 127/8 and
# ::1 are this one, in every spelling a resolver accepts ("0." and "127." fix the first
# octet even in inet_aton's short and octal forms).
_SINK_PREFIXES = ("0.", "127.")
_SINK_ADDRESSES = ("::", "::1")


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


def foreign_names(line: str, wanted: frozenset[str]) -> list[str]:
    """The names of `wanted` that `line` gives an address other than a sink. Any field
    splitting of a resolver's is one of str.split's, so this finds every name it would,
    and a trailing dot or capitals hide none."""
    fields = line.split("#", 1)[0].split()
    if len(fields) < 2 or fields[0].startswith(_SINK_PREFIXES) or fields[0] in _SINK_ADDRESSES:
        return []
    return [name for name in fields[1:] if name.lower().rstrip(".") in wanted]


def is_kept(line: str) -> bool:
    return line.rstrip("\n").rstrip("\r").endswith(KEPT)


def holds_own_line(text: str, wanted: frozenset[str]) -> bool:
    """Whether the person's `text` (our section out) has a line of theirs that works: not
    blank, not ours, not one that gives a blocked name an address. Every hosts file in
    use has one (localhost); one without has been emptied, not edited. Stops at the first,
    which in nearly every file is the first line."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        line = text[start:end]
        if line.strip() and not is_kept(line) and not foreign_names(line.removeprefix(OFF), wanted):
            return True
        start = end
    return False


def restore(text: str) -> str:
    """The text with every line we neutralised put back and every `KEPT` line dropped."""
    if OFF.rstrip() not in text and KEPT not in text:  # one scan settles most files
        return text
    return "".join(
        line[len(OFF) :] if line.startswith(OFF) else line
        for line in _lines(text)
        if not is_kept(line)
    )


def _lines(text: str) -> list[str]:
    """Lines ended by "\\n" only, as a resolver reads them (splitlines also splits at CR)."""
    pieces = text.split("\n")
    last = pieces.pop()
    return [piece + "\n" for piece in pieces] + ([last] if last else [])


def neutralise(text: str, wanted: frozenset[str], eol: str) -> str:
    """The text with each line that gives a name of `wanted` a real address turned off, and
    its other names (if any) given the same address on a `KEPT` line just before it, in
    the line's own ending (`eol` for a last line without one)."""
    out: list[str] = []
    for line in _lines(text):
        blocked = foreign_names(line, wanted)
        if not blocked:
            out.append(line)
            continue
        address, *names = line.split("#", 1)[0].split()
        others = [name for name in names if name not in blocked]
        if others:
            ending = "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else eol
            out.append(f"{address} {' '.join(others)}{KEPT}{ending}")
        out.append(OFF + line)
    return "".join(out)


def neutralised_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line without our prefix) of each line we turned off."""
    return [
        (number, line[len(OFF) :].rstrip("\n").rstrip("\r"))
        for number, line in enumerate(_lines(text), start=1)
        if line.startswith(OFF)
    ]


def _person_parts(parsed: _Parsed) -> tuple[str, str]:
    """The person's text before and after where our section stood, with our neutralised
    lines put back. The cut is at a line start, so each half is whole lines."""
    outside = parsed.outside
    cut = len(outside) if parsed.position is None else min(parsed.position, len(outside))
    return restore(outside[:cut]), restore(outside[cut:])


def remove_section(text: str) -> str:
    """The text without any section or other line of ours; exactly what it was before."""
    return "".join(_person_parts(_parse(text)))


def apply_section(text: str, domains: Iterable[str]) -> str:
    """The text with exactly one section of ours blocking `domains` (none: no section), and
    every other line that gives one of them a real address neutralised."""
    names = list(domains)
    head, tail = _person_parts(_parse(text))
    if not names:
        return head + tail
    eol = line_ending(head + tail)
    wanted = frozenset(names)
    head, tail = neutralise(head, wanted, eol), neutralise(tail, wanted, eol)
    block = section(names, eol)
    if tail:
        return head + block + tail
    if head and not head.endswith("\n"):
        return head + eol + block[: -len(eol)]
    return head + block


def blocked_names(text: str) -> frozenset[str]:
    """The names our section currently sinks (for verification and status)."""
    names: set[str] = set()
    for part in _parse(text).sections:
        for line in part.split("\n"):
            fields = line.split()
            if len(fields) == 2 and fields[0] in SINKS:
                names.add(fields[1])
    return frozenset(names)
