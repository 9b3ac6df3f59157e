"""Typed readers over located YAML nodes: each returns the value it expects or raises a
ConfigError that names where the node is and what was found instead."""

from __future__ import annotations

import re

from blocker.blocklist.yamlsource import Mapping, Node, Scalar, Sequence
from blocker.errors import ConfigError


def describe(node: Node) -> str:
    """What a person wrote, in words: `'soon'`, `nothing`, `a list`."""
    if isinstance(node, Scalar):
        return "nothing" if node.is_null else repr(node.text)
    return "a list" if isinstance(node, Sequence) else "a mapping of names to values"


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut short: an error stays one readable line."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def is_empty(node: Node | None) -> bool:
    return node is None or (isinstance(node, Scalar) and node.is_null)


def scalar(node: Node, expected: str) -> Scalar:
    if not isinstance(node, Scalar) or node.is_null:
        raise ConfigError(f"expected {expected}, found {describe(node)}", node.where)
    return node


def mapping(node: Node, expected: str, allowed: tuple[str, ...]) -> dict[str, Node]:
    """The entries of a mapping whose keys must be among `allowed` (a typo gets a hint)."""
    if not isinstance(node, Mapping):
        raise ConfigError(f"expected {expected}, found {describe(node)}", node.where)
    for key, (where, _) in node.entries.items():
        if key not in allowed:
            import difflib  # only a mistake needs it; the daemon stays smaller without

            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f"did you mean {hint[0]!r}?" if hint else f"known: {', '.join(allowed)}"
            raise ConfigError(f"unknown setting {key!r}; {suggestion}", where)
    return {key: value for key, (_, value) in node.entries.items()}


def items(node: Node | None) -> tuple[Node, ...]:
    """The entries of a list; nothing written counts as an empty list."""
    if node is None or is_empty(node):
        return ()
    if not isinstance(node, Sequence):
        raise ConfigError(
            f"expected a list (one entry per line, each starting with '- '), found "
            f"{describe(node)}",
            node.where,
        )
    return node.items


def words(node: Node | None, expected: str) -> tuple[str, ...]:
    """A list of plain values, as text."""
    return tuple(scalar(item, expected).text for item in items(node))


# [0-9], not str.isdigit or \d: those accept `²` or `٣`, which int() refuses or reads as 3.
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def whole_number(node: Node, what: str, low: int, high: int) -> int:
    """A count from `low` to `high` in ASCII digits. The length is checked before int(),
    which refuses a few thousand digits with an error of its own."""
    text = scalar(node, f"a whole number of {what}").text.strip()
    digits = text.lstrip("0") or "0"
    if (
        not _WHOLE_NUMBER.fullmatch(text)
        or len(digits) > len(str(high))
        or not (low <= int(digits) <= high)
    ):
        raise ConfigError(
            f"expected a whole number of {what} from {low} to {high}, found {shown(text)}",
            node.where,
        )
    return int(digits)
