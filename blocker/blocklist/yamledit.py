"""Add and remove block-list entries by editing the YAML text itself, so every comment,
blank line and the person's own layout stay exactly as they were."""

from __future__ import annotations

from pathlib import Path

import yaml

from blocker.errors import ConfigError

SECTIONS = ("profiles", "sites")


def render_entry(value: str | dict[str, str]) -> str:
    """One list entry as YAML, quoted where YAML needs it (`- instagram: alex.example`).
    Letters beyond ASCII are written as themselves (`bücher.example`), not as escapes,
    so the person can read the list."""
    return yaml.safe_dump(
        [value], default_flow_style=False, width=10**6, allow_unicode=True
    ).rstrip("\n")


def _flow_entry(value: str | dict[str, str]) -> str:
    return yaml.safe_dump(
        [value], default_flow_style=True, width=10**6, allow_unicode=True
    ).strip()[1:-1]


def _root(text: str, file: Path | str) -> yaml.MappingNode | None:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{file}: the block list is not a mapping; fix it by hand first")
    return root


def _find(root: yaml.MappingNode | None, section: str) -> tuple[yaml.Node, yaml.Node] | None:
    if root is None:
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == section:
            return key, value
    return None


def _eol(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def line_after(node: yaml.Node) -> int:
    """The 0-based index of the first line after `node`'s own text. A block mapping's end
    mark lies at the next entry, past any comments between, so its last value decides."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def add_entry(text: str, section: str, value: str | dict[str, str], file: Path | str) -> str:
    """`text` with `value` appended to the `section` list, creating the list if needed."""
    eol = _eol(text)
    found = _find(_root(text, file), section)
    lines = text.splitlines(keepends=True)
    if found is None:
        prefix = text if not text or text.endswith(("\n", "\r")) else text + eol
        return prefix + f"{section}:{eol}  {render_entry(value)}{eol}"
    key, node = found
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        lines.insert(
            key.start_mark.line + 1, " " * (key.start_mark.column + 2) + render_entry(value) + eol
        )
        return "".join(lines)
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(
            f"{file}:{node.start_mark.line + 1}: `{section}:` is not a list; fix it by hand first"
        )
    if node.flow_style or not node.value:
        closing = node.end_mark.index - 1
        separator = ", " if node.value else ""
        return text[:closing] + separator + _flow_entry(value) + text[closing:]
    last = node.value[-1]
    first_line = lines[node.value[0].start_mark.line]
    dash = first_line[: node.value[0].start_mark.column].rstrip().rfind("-")
    at = line_after(last)
    if at >= len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += eol
    lines.insert(at, " " * dash + render_entry(value) + eol)
    return "".join(lines)


def remove_entries(text: str, section: str, indexes: set[int], file: Path | str) -> str:
    """`text` without the items at `indexes` (0-based) of the `section` list."""
    found = _find(_root(text, file), section)
    if found is None or not isinstance(found[1], yaml.SequenceNode) or not indexes:
        return text
    node = found[1]
    if node.flow_style:
        kept = [
            text[item.start_mark.index : item.end_mark.index]
            for index, item in enumerate(node.value)
            if index not in indexes
        ]
        return (
            text[: node.start_mark.index]
            + "["
            + ", ".join(kept)
            + "]"
            + text[node.end_mark.index :]
        )
    lines = text.splitlines(keepends=True)
    doomed: set[int] = set()
    for index in indexes:
        item = node.value[index]
        doomed.update(range(item.start_mark.line, line_after(item)))
    # An emptied list leaves `profiles:` with nothing under it, which reads as none: valid.
    return "".join(line for number, line in enumerate(lines) if number not in doomed)
