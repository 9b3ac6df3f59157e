"""What a request on the control socket may look like, checked before anyone uses it.

A request is one JSON object on one line: an "op" naming what is asked and, for some
ops, a few fields of a fixed type. Anything else (nesting a parser would recurse into
until the stack runs out, a number too long to convert, a key given twice, a field of the
wrong type) is a ProtocolError, which the server answers in one line: whatever a
permitted user sends, the daemon goes on.
"""

from __future__ import annotations

import json
from typing import Any

Message = dict[str, Any]

# Requests are flat: an object of plain values. The bound leaves room for a later field
# that is a list or an object, and is far below where the parser's recursion would end.
MAX_DEPTH = 8

# The fields each op reads, and their type; None always means "not given". A field not
# listed here is ignored, as the handlers ignore it. An op not listed has no fields (or
# is unknown, which the daemon's handler answers).
FIELDS: dict[str, dict[str, type]] = {
    "pause": {"length": str},
    "cancel": {"id": str},
    "urge": {"browser": str, "title": str, "target": str, "program": str},
    "add": {"target": str, "site": bool},
    "remove": {"target": str, "site": bool},
}
TYPE_NAMES = {str: "text", bool: "true or false"}


class ProtocolError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse a key given twice: which one counts would otherwise be the parser's choice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ProtocolError(f"the key {key[:40]!r} is given twice")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ProtocolError(f"{name} is not a JSON value")


def _depth(value: object) -> int:
    """How deeply `value` nests, counted without recursion and without going past
    MAX_DEPTH + 1."""
    deepest, level = 0, [value]
    while level and deepest <= MAX_DEPTH:
        deepest += 1
        inner: list[object] = []
        for item in level:
            if isinstance(item, dict):
                inner.extend(item.values())
            elif isinstance(item, list):
                inner.extend(item)
        level = [item for item in inner if isinstance(item, (dict, list))]
    return deepest


def decode(line: bytes) -> Message:
    """The request on `line`, checked; ProtocolError (one line, for the answer) if not."""
    try:
        message = json.loads(line, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise ProtocolError(f"nested more than {MAX_DEPTH} levels deep") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    except ProtocolError:
        raise
    except ValueError as error:  # an integer of more digits than Python converts
        raise ProtocolError(f"not a usable JSON value: {str(error)[:80]}") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError('expected an object with "op"')
    if _depth(message) > MAX_DEPTH:
        raise ProtocolError(f"nested more than {MAX_DEPTH} levels deep")
    for name, kind in FIELDS.get(message["op"], {}).items():
        value = message.get(name)
        if value is not None and type(value) is not kind:  # a bool is an int; not here
            raise ProtocolError(f"{name!r} must be {TYPE_NAMES[kind]}")
    return message
