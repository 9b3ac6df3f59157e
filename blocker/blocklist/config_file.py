"""The block list (YAML) → a frozen Config. Loading is pure: text in, Config or ConfigError out.

Every error names file:line:column, the field, what was expected and what was found.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from blocker.blocklist import yamlsource
from blocker.blocklist.config_period import parse_period
from blocker.blocklist.fields import is_empty, items, mapping, scalar, shown, whole_number, words
from blocker.blocklist.yamlsource import Mapping, Node
from blocker.core.catalog import Catalog
from blocker.core.config import MAX_COOLDOWN, MAX_PAUSE, MAX_PAUSES_A_DAY, Config, PauseRules
from blocker.core.durations import DurationTooLong, format_duration, parse_duration
from blocker.core.location import Location
from blocker.core.sites import PageNotSite, site
from blocker.core.targets import (
    InvalidTarget,
    Target,
    TargetKey,
    from_shorthand,
    from_url,
    with_spellings_of,
)
from blocker.errors import ConfigError

_SHORTHAND_TEXT = re.compile(r"^([A-Za-z]+):\s*(\S+)$")


def _parse_pause(node: Node | None) -> PauseRules:
    if node is None or is_empty(node):
        return PauseRules()
    fields = mapping(node, "pause settings", ("cooldown", "max_length", "per_day"))
    defaults = PauseRules()

    def duration(key: str, default: timedelta, low: timedelta, high: timedelta) -> timedelta:
        if key not in fields:
            return default
        value_node = scalar(fields[key], "a duration such as 15m")
        out_of_range = ConfigError(
            f"expected a duration from {format_duration(low)} to {format_duration(high)}, "
            f"found {shown(value_node.text)}",
            value_node.where,
        )
        try:
            value = parse_duration(value_node.text)
        except DurationTooLong:
            raise out_of_range from None
        except ValueError as error:
            raise ConfigError(str(error), value_node.where) from None
        if not low <= value <= high:
            raise out_of_range
        return value

    per_day = defaults.per_day
    if "per_day" in fields:
        per_day = whole_number(fields["per_day"], "pauses a day", 0, MAX_PAUSES_A_DAY)
    return PauseRules(
        cooldown=duration("cooldown", defaults.cooldown, timedelta(0), MAX_COOLDOWN),
        max_length=duration("max_length", defaults.max_length, timedelta(seconds=1), MAX_PAUSE),
        per_day=per_day,
    )


def _profile(node: Node, catalog: Catalog, machine_names: frozenset[str]) -> Target:
    if isinstance(node, Mapping):
        if len(node.entries) != 1:
            raise ConfigError("expected one `platform: name` per entry", node.where)
        ((word, (_, value)),) = node.entries.items()
        return from_shorthand(catalog, word, scalar(value, "a profile name").text)
    text = scalar(node, "a profile address or `platform: name`").text
    shorthand = _SHORTHAND_TEXT.match(text.strip())
    if shorthand and catalog.by_shorthand(shorthand[1]):
        return from_shorthand(catalog, shorthand[1], shorthand[2])
    return from_url(catalog, text, machine_names)


def target_of(
    section: str,
    node: Node,
    catalog: Catalog,
    machine_names: frozenset[str] = frozenset(),
    warnings: list[str] | None = None,
) -> Target:
    """The Target one entry of `profiles:` or `sites:` stands for.

    A page listed under `sites:` blocks its whole site, as blocker did before it refused
    one (`blocker add --site` refuses it now), and says so among the `warnings`: a list
    written by an earlier blocker must still read, or the daemon could not start."""
    try:
        if section == "sites":
            typed = scalar(node, "a site name").text
            try:
                return site(catalog, typed, machine_names)
            except PageNotSite as page:
                if warnings is not None:
                    warnings.append(
                        f"{node.where}: {node.where.field}: {page}; until it is changed, "
                        f"all of {page.host} is blocked"
                    )
                return site(catalog, page.host, machine_names)
        return _profile(node, catalog, machine_names)
    except InvalidTarget as error:
        raise ConfigError(str(error), node.where) from None


def _targets(
    section: str,
    nodes: tuple[Node, ...],
    catalog: Catalog,
    *,
    machine_names: frozenset[str],
    seen: dict[TargetKey, Location],
    warnings: list[str],
) -> list[Target]:
    """The entries' targets, each once; a repeat becomes a warning naming both lines, and
    a repeat in another spelling adds its pages to the first."""
    targets: list[Target] = []
    position: dict[TargetKey, int] = {}
    for node in nodes:
        target = target_of(section, node, catalog, machine_names, warnings)
        first = seen.get(target.key)
        if first is not None and target.key in position:
            merged = with_spellings_of(targets[position[target.key]], target)
            if merged is not None:
                targets[position[target.key]] = merged
                continue
        if first is not None:
            warnings.append(
                f"{node.where}: {node.where.field}: {target.label} is already listed "
                f"at line {first.line}; it is blocked once"
            )
            continue
        seen[target.key] = node.where
        position[target.key] = len(targets)
        targets.append(target)
    return targets


def parse_config(
    text: str, file: Path | str, catalog: Catalog, machine_names: frozenset[str] = frozenset()
) -> Config:
    root = yamlsource.parse(text, file)
    if root is None:
        raise ConfigError(f"{file}: is empty; start from the example with `blocker init`")
    fields = mapping(
        root,
        "the block list (period, profiles, sites, pause)",
        ("period", "profiles", "sites", "pause", "strict", "reasons", "backdoors", "firefox"),
    )
    if "period" not in fields:
        raise ConfigError(
            f"{file}: has no `period:`; add when the no-stalking period starts "
            "and how many days it lasts"
        )
    period = parse_period(fields["period"])
    warnings: list[str] = []
    seen: dict[TargetKey, Location] = {}
    profiles = _targets(
        "profiles",
        items(fields.get("profiles")),
        catalog,
        machine_names=machine_names,
        seen=seen,
        warnings=warnings,
    )
    sites = _targets(
        "sites",
        items(fields.get("sites")),
        catalog,
        machine_names=machine_names,
        seen=seen,
        warnings=warnings,
    )
    return Config(
        str(file),
        period,
        tuple(profiles + sites),
        _parse_pause(fields.get("pause")),
        tuple(warnings),
        _parse_switch(fields.get("strict"), default=False),
        words(fields.get("reasons"), "a reason, in your own words"),
        _parse_switch(fields.get("backdoors"), default=True),
        _parse_firefox(fields.get("firefox")),
    )


def _parse_firefox(node: Node | None) -> bool:
    """`firefox: allow_unsigned_addons: true`, written out in full: the one way to let
    blocker turn Firefox's add-on signature checks off while the block is on."""
    if node is None or is_empty(node):
        return False
    fields = mapping(node, "Firefox settings (allow_unsigned_addons)", ("allow_unsigned_addons",))
    return _parse_switch(fields.get("allow_unsigned_addons"), default=False)


def _parse_switch(node: Node | None, *, default: bool) -> bool:
    if node is None or is_empty(node):
        return default
    text = scalar(node, "true or false").text.strip().lower()
    if text in ("true", "yes", "on"):
        return True
    if text in ("false", "no", "off"):
        return False
    raise ConfigError(f"expected true or false, found {text!r}", node.where)


def load_config(
    path: Path, catalog: Catalog, machine_names: frozenset[str] = frozenset()
) -> Config:
    return parse_config(yamlsource.read_file(path), path, catalog, machine_names)
