"""YAML read into a tree that remembers where each value was written.

Scalars are kept as the text the person typed (plus the tag YAML resolved), so YAML 1.1
surprises never reach the block list: `21:00` is not 1260, `no` is not False, a handle
like `0123` is not an octal number. The config module decides what each field means.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import yaml

from blocker.core.location import Location
from blocker.errors import ConfigError

MAX_CONFIG_BYTES = 1_000_000  # a block list is a few kilobytes; this refuses a wrong file early
# A block list nests five levels (the list, period, windows, a window, its days); pyyaml's
# composer and _convert recurse once a level, so a few thousand `[` would end the stack.
MAX_DEPTH = 32


@dataclass(frozen=True)
class Scalar:
    text: str
    tag: str
    quoted: bool
    where: Location

    @property
    def is_null(self) -> bool:
        return self.tag == "tag:yaml.org,2002:null" and not self.quoted


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    where: Location
    flow: bool


@dataclass(frozen=True)
class Mapping:
    # key text -> (where the key is, the value)
    entries: dict[str, tuple[Location, Node]]
    where: Location
    flow: bool


Node = Scalar | Sequence | Mapping


def _location(file: Path | str, mark: yaml.Mark, field: str) -> Location:
    return Location(file, mark.line + 1, mark.column + 1, field)


def _child_field(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _convert(node: yaml.Node, file: Path | str, field: str, seen: set[int]) -> Node:
    where = _location(file, node.start_mark, field or "(top level)")
    # An alias makes compose() return the same node twice; following it again would let a
    # small file expand exponentially ("billion laughs"), so a block list may not use them.
    if id(node) in seen:
        raise ConfigError("YAML anchors and aliases (&name, *name) are not used here", where)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, node.tag, node.style in ("'", '"'), where)
    if isinstance(node, yaml.SequenceNode):
        items = tuple(
            _convert(item, file, _child_field(field, index), seen)
            for index, item in enumerate(node.value)
        )
        return Sequence(items, where, bool(node.flow_style))
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, tuple[Location, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(
                    "expected a plain name as a key, found a list or a mapping",
                    _location(file, key_node.start_mark, field or "(top level)"),
                )
            key = key_node.value
            key_where = _location(file, key_node.start_mark, _child_field(field, key))
            if key in entries:
                first = entries[key][0]
                raise ConfigError(
                    f"{key!r} is written twice (first at line {first.line}); keep one", key_where
                )
            entries[key] = (key_where, _convert(value_node, file, _child_field(field, key), seen))
        return Mapping(entries, where, bool(node.flow_style))
    raise ConfigError("this YAML feature is not used in a block list", where)


class _TooDeep(Exception):
    def __init__(self, opening: yaml.Event) -> None:
        super().__init__()
        self.opening = opening


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing a list or mapping nested deeper than MAX_DEPTH before it
    recurses into it. The parser below it keeps a stack of its own and does not recurse."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        opens = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if not opens:
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise _TooDeep(self.current_event)  # the event check_event just peeked at
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _refuse_size(file: Path | str, size: int) -> NoReturn:
    raise ConfigError(
        f"{file}: is {size:,} bytes; a block list is a small text file "
        f"(at most {MAX_CONFIG_BYTES:,} bytes) — is this the right file?"
    )


def decode(data: bytes, file: Path | str) -> str:
    """Bytes of a block list to text, refusing binaries and huge files in one sentence."""
    if len(data) > MAX_CONFIG_BYTES:
        _refuse_size(file, len(data))
    if b"\x00" in data:
        raise ConfigError(f"{file}: is a binary file, not a YAML block list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{file}: byte {error.start + 1} is not UTF-8 text; save the file as UTF-8"
        ) from None


def parse(text: str, file: Path | str) -> Node | None:
    """Parse one YAML document; None for an empty one. Syntax errors name file:line:column."""
    try:
        root = yaml.compose(text, Loader=_BoundedLoader)
    except _TooDeep as error:
        too_deep = (
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; a block "
            "list needs only a few (check the indentation)"
        )
        mark = error.opening.start_mark
        if mark is None:
            raise ConfigError(f"{file}: {too_deep}") from None
        where = Location(file, mark.line + 1, mark.column + 1, "(nesting)")
        raise ConfigError(too_deep, where) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "is not valid YAML"
        if mark is None:
            raise ConfigError(f"{file}: YAML syntax error: {problem}") from None
        raise ConfigError(
            f"YAML syntax error: {problem} (check indentation and that values containing "
            f"': ' or '#' are in quotes)",
            _location(file, mark, "(syntax)"),
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{file}: YAML syntax error: {error}") from None
    if root is None:
        return None
    return _convert(root, file, "", set())


def read_file(path: Path) -> str:
    """Read a block list file with errors that say what is wrong with the file itself."""
    try:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder; give the path of the YAML block list inside")
        if path.stat().st_size > MAX_CONFIG_BYTES:
            _refuse_size(path, path.stat().st_size)
        with path.open("rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no block list here; create one with `blocker init`, or pass --config PATH"
        ) from None
    except PermissionError:
        raise ConfigError(
            f"{path}: cannot be read (permission denied); run it with sudo, or pass --config "
            "with a block list of your own"
        ) from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    return decode(data, path)
