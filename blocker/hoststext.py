"""The hosts file as text: our one marked section put in, replaced or taken out, pure.

Everything outside the section is kept byte-for-byte: the text is decoded with
surrogateescape, so any byte survives the round trip, and lines are split on "\\n" only.
The section follows the file's own line ending (CRLF or LF). When the file did not end
with a newline, the section is appended after one and itself ends without one, so taking
it out restores the file exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BEGIN = "# >>> blocker: no-stalking block >>>"
END = "# <<< blocker: end of block <<<"
HEADER = (
    "# Managed by blocker while your no-stalking period is on. It is removed by itself",
    "# when the period ends; edits here are put back. `blocker status` tells more.",
)
SINKS = ("0.0.0.0", "::")  # noqa: S104  (sink addresses written in the hosts file, not a bind)
# A line that only blocker writes inside its section: a sink entry or one of our comments.
_OUR_LINE = re.compile(r"^(?:(?:0\.0\.0\.0|::)[ \t]+[a-z0-9.-]+|#.*)?[ \t]*\r?$")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(text: str) -> list[str]:
    """Lines with their endings; only "\\n" ends a line, as in every resolver's parser."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def line_ending(text: str) -> str:
    return "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"


def section(domains: Iterable[str], eol: str) -> str:
    """Our section, each line ended by `eol`. Domains are already validated names."""
    lines = [BEGIN, *HEADER]
    for domain in domains:
        lines.extend(f"{sink} {domain}" for sink in SINKS)
    lines.append(END)
    return "".join(line + eol for line in lines)


def _is_marker(line: str, marker: str) -> bool:
    return line.strip() == marker


def _split(text: str) -> tuple[list[str], int | None, bool]:
    """The lines outside our section(s), where the first section stood, and whether a
    section was the last thing in a file with no final newline (so we added one before it)."""
    lines = _lines(text)
    kept: list[str] = []
    position: int | None = None
    joined = False
    separator = "\n"
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_marker(line, BEGIN):
            position = len(kept) if position is None else position
            # The section's own lines use the ending we added before it when we joined it
            # to a file that had no final newline.
            separator = "\r\n" if line.endswith("\r\n") else "\n"
            index += 1
            while index < len(lines) and not _is_marker(lines[index], END):
                # A section cut short (its end marker deleted) stops at the first line that
                # is not ours, so nobody else's lines are ever taken out with it.
                if not _OUR_LINE.match(lines[index].rstrip("\n")):
                    break
                index += 1
            if index < len(lines) and _is_marker(lines[index], END):
                joined = index == len(lines) - 1 and not lines[index].endswith("\n")
                index += 1
            continue
        if _is_marker(line, END):
            index += 1  # a stray end marker left by a broken edit
            continue
        kept.append(line)
        index += 1
    if joined and kept and kept[-1].endswith(separator):
        kept[-1] = kept[-1][: -len(separator)]
    return kept, position, joined


def remove_section(text: str) -> str:
    """The text without any section of ours; exactly what it was before we added one."""
    kept, _, _ = _split(text)
    return "".join(kept)


def apply_section(text: str, domains: Iterable[str]) -> str:
    """The text with exactly one section of ours blocking `domains` (none: no section)."""
    names = list(domains)
    original = remove_section(text)
    if not names:
        return original
    kept, position, _ = _split(text)
    eol = line_ending(original)
    block = section(names, eol)
    if position is not None and position < len(kept):
        return "".join(kept[:position]) + block + "".join(kept[position:])
    if original and not original.endswith("\n"):
        return original + eol + block[: -len(eol)]
    return original + block


def has_section(text: str) -> bool:
    return any(_is_marker(line, BEGIN) for line in _lines(text))


def foreign_entries(text: str, names: Iterable[str]) -> dict[str, int]:
    """Names we block that a line outside our section also maps, with that line's number.
    Resolvers return every address a hosts file gives a name, so such a line defeats the
    block for that name; the person has to know."""
    wanted = set(names)
    found: dict[str, int] = {}
    inside = False
    for number, line in enumerate(_lines(text), start=1):
        if _is_marker(line, BEGIN) or _is_marker(line, END):
            inside = _is_marker(line, BEGIN)
            continue
        if inside:
            continue
        fields = line.split("#", 1)[0].split()
        for name in fields[1:]:
            if name.lower() in wanted:
                found.setdefault(name.lower(), number)
    return found


def blocked_names(text: str) -> frozenset[str]:
    """The names our section currently sinks (for verification and status)."""
    names: set[str] = set()
    inside = False
    for line in _lines(text):
        if _is_marker(line, BEGIN):
            inside = True
        elif _is_marker(line, END):
            inside = False
        elif inside:
            parts = line.split()
            if len(parts) == 2 and parts[0] in SINKS:
                names.add(parts[1])
    return frozenset(names)
