"""The `period:` of the block list as `blocker init` and `blocker period` write it: the
options checked by the block list's own rules (config_period), rendered as YAML, and
set in a list already written without touching anything else in it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from blocker.blocklist import yamlsource
from blocker.blocklist.config_period import parse_period
from blocker.blocklist.yamledit import line_after
from blocker.core.schedule import Period
from blocker.errors import ConfigError, UsageError

_PLAIN = re.compile(r"[0-9A-Za-z._-]+", re.ASCII)
HOURS_FORM = "18:00-02:00 (from-to; it may run past midnight)"
# Which option wrote each field of the small list the options are checked as.
_OPTION = {"start": "--start", "days": "--days", "until": "--until", "windows": "--hours"}


@dataclass(frozen=True)
class PeriodChoice:
    """The period as typed: None leaves a field as it is written (or, for init, unset)."""

    start: str | None = None
    days: str | None = None
    until: str | None = None
    hours: tuple[str, str] | None = None  # (from, to), each like 18:00
    all_day: bool = False

    @property
    def changes_anything(self) -> bool:
        return any((self.start, self.days, self.until, self.hours is not None, self.all_day))


def hours_of(typed: str) -> tuple[str, str]:
    """`18:00-02:00` → ("18:00", "02:00"); the times are checked with the rest."""
    parts = typed.split("-")
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise UsageError(f"--hours: write the hours like {HOURS_FORM}, found {typed.strip()!r}")
    return parts[0].strip(), parts[1].strip()


def _quoted(text: str) -> str:
    """A value as YAML: plain where it is a date or a number, quoted otherwise
    (`"2026-12-03 18:00"`, `"18:00"`). JSON's quoting is YAML's double quoting."""
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def period_lines(
    fields: dict[str, str], hours: tuple[str, str] | None, indent: int = 2
) -> list[str]:
    """The lines under `period:`, each field in `fields` (start, days or until) and the
    daily window, if any, without the line ends."""
    pad = " " * indent
    lines = [f"{pad}{key}: {_quoted(value)}" for key, value in fields.items()]
    if hours is not None:
        lines += window_lines(hours, indent)
    return lines


def window_lines(hours: tuple[str, str], indent: int) -> list[str]:
    pad = " " * indent
    return [
        f"{pad}windows:",
        f"{pad}  - days: every day",
        f"{pad}    from: {_quoted(hours[0])}",
        f"{pad}    to: {_quoted(hours[1])}",
    ]


def checked(fields: dict[str, str], hours: tuple[str, str] | None) -> Period:
    """The Period these fields make, by the block list's own rules; a mistake is one line
    naming the option it came from."""
    text = "period:\n" + "\n".join(period_lines(fields, hours)) + "\n"
    try:
        node = yamlsource.parse(text, "(options)")
        if not isinstance(node, yamlsource.Mapping):  # a value that ends the YAML early
            raise UsageError("write each option's value on its own, without line breaks")
        return parse_period(node.entries["period"][1])
    except ConfigError as error:
        field = error.where.field if error.where else ""
        key = field.removeprefix("period.").partition(".")[0].partition("[")[0]
        option = _OPTION.get(key)
        if option is None:  # a mistake of the whole period (`until` before `start`)
            raise UsageError(_in_options(error.bare_message)) from None
        raise UsageError(f"{option}: {_in_options(error.bare_message)}") from None


def _in_options(message: str) -> str:
    """A field's words in the words of the options (`days:` is --days here)."""
    for key, option in _OPTION.items():
        message = message.replace(f"`{key}:`", f"`{option}`").replace(f"`{key}`", f"`{option}`")
    return message


def _period_node(text: str, file: Path | str) -> tuple[yaml.Node, yaml.MappingNode]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "period":
                if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                    return key, value
                break
    raise ConfigError(f"{file}: `period:` is not written as the example writes it; fix it by hand")


def current_fields(text: str, file: Path | str) -> dict[str, str]:
    """The period's start, days and until as written in `text` (the ones present)."""
    _, period = _period_node(text, file)
    return {
        key.value: value.value
        for key, value in period.value
        if isinstance(key, yaml.ScalarNode)
        and key.value in ("start", "days", "until")
        and isinstance(value, yaml.ScalarNode)
    }


def merged(current: dict[str, str], choice: PeriodChoice) -> dict[str, str]:
    """The fields after `choice`: --days replaces `until:` and --until replaces `days:`."""
    fields = dict(current)
    if choice.start is not None:
        fields["start"] = choice.start
    if choice.days is not None:
        fields.pop("until", None)
        fields["days"] = choice.days
    if choice.until is not None:
        fields.pop("days", None)
        fields["until"] = choice.until
    return {key: fields[key] for key in ("start", "days", "until") if key in fields}


def set_period(text: str, choice: PeriodChoice, file: Path | str) -> str:
    """`text` with its period changed as `choice` says. Only the values change: every
    comment, blank line and the rest of the layout stay as they were."""
    if choice.days is not None and choice.until is not None:
        raise UsageError("give --days (how long) or --until (the last day), not both")
    if choice.hours is not None and choice.all_day:
        raise UsageError("give --hours or --all-day, not both")
    checked(merged(current_fields(text, file), choice), choice.hours)
    for key, value in (("start", choice.start), ("days", choice.days), ("until", choice.until)):
        if value is not None:
            text = _set_field(text, key, value, file)
    if choice.hours is not None or choice.all_day:
        text = _set_windows(text, choice.hours, file)
    return text


def _entries(period: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in period.value if isinstance(k, yaml.ScalarNode)}


def _set_field(text: str, key: str, value: str, file: Path | str) -> str:
    other = {"days": "until", "until": "days"}.get(key)
    period_key, period = _period_node(text, file)
    entries = _entries(period)
    written = f"{key}: {_quoted(value)}"
    if key in entries:
        node = entries[key][1]
        return text[: node.start_mark.index] + _quoted(value) + text[node.end_mark.index :]
    if other in entries:  # `days: 60` in the place of `until: ...`, its comment kept
        old_key, old_value = entries[other]
        return text[: old_key.start_mark.index] + written + text[old_value.end_mark.index :]
    first = period.value[0][0]
    lines = text.splitlines(keepends=True)
    eol = "\r\n" if "\r\n" in text else "\n"
    lines.insert(period_key.start_mark.line + 1, " " * first.start_mark.column + written + eol)
    return "".join(lines)


def _set_windows(text: str, hours: tuple[str, str] | None, file: Path | str) -> str:
    _, period = _period_node(text, file)
    entries = _entries(period)
    indent = period.value[0][0].start_mark.column
    lines = text.splitlines(keepends=True)
    eol = "\r\n" if "\r\n" in text else "\n"
    new = [line + eol for line in window_lines(hours, indent)] if hours else []
    if "windows" in entries:
        key, value = entries["windows"]
        lines[key.start_mark.line : line_after(value)] = new
        return "".join(lines)
    at = line_after(period)
    # A comment that carries on the one of the last field (indented past the fields)
    # stays with it.
    while at < len(lines) and lines[at].lstrip().startswith("#"):
        if len(lines[at]) - len(lines[at].lstrip()) <= indent:
            break
        at += 1
    if at >= len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += eol
    lines[at:at] = new
    return "".join(lines)
