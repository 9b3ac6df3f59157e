"""The control socket's requests as types: each a dataclass with one way to JSON
and one way back (the answers are in answers.py, on the same base).

A request line is checked twice over before anyone uses it. `decode` takes the line:
one JSON object holding an "op"; anything else (nesting a parser would recurse into
until the stack runs out, a number too long to convert, a key given twice) is a
ProtocolError, which the server answers in one line. `read_request` then makes the
object the request its op names, each field of the type the request declares; a field
not declared is ignored, None always means "not given". Whatever a permitted user
sends, the daemon goes on.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from blocker.ipc.wire import Op

Message = dict[str, Any]

# Requests are flat: an object of plain values. The bound leaves room for a later field
# that is a list or an object, and is far below where the parser's recursion would end.
MAX_DEPTH = 8
TYPE_NAMES = {str: "text", bool: "true or false"}


class ProtocolError(ValueError):
    pass


class UnknownRequest(ProtocolError):
    pass


class Wire:
    """One JSON object per instance: its fields by name, None left out. A request's
    object also names its op; an answer's says `ok`. Every subclass is a dataclass, and
    not a frozen one: the daemon holds all of them, and freezing 26 classes cost it
    150 KB of memory (measured), a twentieth of what its benchmark allows above Python's
    own; nothing changes a message once made."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def to_json(self) -> Message:
        return {
            name: value
            for name in self.__dataclass_fields__
            if (value := getattr(self, name)) is not None
        }

    @classmethod
    def from_json(cls, message: Message) -> Self:
        """The fields of `message` this type declares (the rest is ignored), unchecked:
        for a reader of what the daemon itself wrote."""
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in message.items() if key in names})


# -- requests ---------------------------------------------------------------------------
class Request(Wire):
    OP: ClassVar[Op]

    def to_json(self) -> Message:
        return {"op": self.OP, **super().to_json()}


@dataclass
class Ping(Request):
    OP = Op.PING


@dataclass
class Status(Request):
    OP = Op.STATUS


@dataclass
class ListEntries(Request):
    OP = Op.LIST


@dataclass
class Stats(Request):
    OP = Op.STATS


@dataclass
class Log(Request):
    OP = Op.LOG


@dataclass
class ExtensionView(Request):
    """What blocker's extension stops and shows now (asked by its native host)."""

    OP = Op.EXTENSION


@dataclass
class Subscribe(Request):
    """Turn this connection into a stream of events, starting with the status."""

    OP = Op.SUBSCRIBE


@dataclass
class Pause(Request):
    OP = Op.PAUSE
    length: str | None = None  # a duration such as 10m; None: the list's longest


@dataclass
class Cancel(Request):
    OP = Op.CANCEL
    id: str | None = None  # one waiting request's id; None: all of them and a pause


@dataclass
class Stop(Request):
    OP = Op.STOP


@dataclass
class Uninstall(Request):
    OP = Op.UNINSTALL


@dataclass
class Start(Request):
    OP = Op.START


@dataclass
class Forget(Request):
    OP = Op.FORGET


@dataclass
class Reload(Request):
    OP = Op.RELOAD


@dataclass
class Add(Request):
    OP = Op.ADD
    target: str | None = None  # as the person pasted or typed it
    site: bool | None = None  # a whole site rather than a profile


@dataclass
class Remove(Request):
    OP = Op.REMOVE
    target: str | None = None
    site: bool | None = None


@dataclass
class SetPeriod(Request):
    """Change the period (`blocker period`): each field as typed, None to leave it."""

    OP = Op.PERIOD
    start: str | None = None
    days: str | None = None
    until: str | None = None
    hours: str | None = None  # a daily window, like 18:00-02:00
    all_day: bool | None = None  # no daily window any more


@dataclass
class Urge(Request):
    """A blocked page was reached anyway: a window title the tray saw (`title`), or a
    page on the list blocker's extension kept closed (`target`, its label)."""

    OP = Op.URGE
    browser: str | None = None
    title: str | None = None
    target: str | None = None
    program: str | None = None  # the browser's executable, as the native host read it


REQUESTS: dict[str, type[Request]] = {
    kind.OP: kind
    for kind in (
        Ping, Status, ListEntries, Stats, Log, ExtensionView, Subscribe, Pause, Cancel,
        Stop, Uninstall, Start, Forget, Reload, Add, Remove, SetPeriod, Urge,
    )
}  # fmt: skip


def _field_types(kind: type[Request]) -> dict[str, type]:
    """Each field's type, None aside (`str | None` gives str)."""
    hints = typing.get_type_hints(kind)
    found: dict[str, type] = {}
    for name in kind.__dataclass_fields__:
        hint = hints[name]
        if not isinstance(hint, types.UnionType):
            raise TypeError(f"{kind.__name__}.{name} must be optional: None is 'not given'")
        (found[name],) = (t for t in typing.get_args(hint) if t is not type(None))
    return found


FIELDS = {op: _field_types(kind) for op, kind in REQUESTS.items()}


def read_request(message: Message) -> Request:
    """The request `message` (a decoded line) makes; ProtocolError if its op is unknown or
    a field is of the wrong type."""
    op = str(message.get("op"))
    if op not in REQUESTS:
        raise UnknownRequest(f"unknown request {op[:40]!r}")
    given: dict[str, object] = {}
    for name, kind in FIELDS[op].items():
        value = message.get(name)
        if value is not None and type(value) is not kind:  # a bool is an int; not here
            raise ProtocolError(f"{name!r} must be {TYPE_NAMES[kind]}")
        given[name] = value
    return REQUESTS[op](**given)


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
    """The object on `line`, checked; ProtocolError (one line, for the answer) if not."""
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
    return message
