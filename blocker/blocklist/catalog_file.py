"""The platform catalog (`config/platforms.yaml`) read into frozen, compiled form."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from blocker.blocklist import yamlsource
from blocker.blocklist.fields import items, mapping, scalar, words
from blocker.blocklist.yamlsource import Mapping, Node
from blocker.core.catalog import PLACEHOLDER, Catalog, PageForm, PageGroup, Platform
from blocker.core.domains import normalize_hostname
from blocker.errors import ConfigError
from blocker.system.resources import data_file

_PLATFORM_KEYS = (
    "name",
    "shorthands",
    "domains",
    "handle",
    "strip",
    "reserved",
    "pages",
    "own_site",
    "titles",
    "backdoors",
)


def _optional_text(fields: dict[str, Node], key: str) -> str | None:
    return scalar(fields[key], f"{key} as text").text if key in fields else None


def _page_group(node: Node) -> PageGroup:
    fields = mapping(node, "`paths:`, optional `kind:` and `also:`", ("kind", "paths", "also"))
    kind_text = _optional_text(fields, "kind") or "profile"
    if kind_text not in ("profile", "thread"):
        raise ConfigError(f"expected profile or thread, found {kind_text!r}", node.where)
    forms = []
    for template in words(fields.get("paths"), "a URL path"):
        found = PLACEHOLDER.findall(template)
        if len(found) != 1 or not template.startswith("/"):
            raise ConfigError(f"path {template!r} needs one {{handle}} or {{id}}", node.where)
        forms.append(PageForm(template, found[0]))
    if not forms:
        raise ConfigError("a page group needs at least one path", node.where)
    elsewhere = []
    for address in words(fields.get("also"), "an address like messenger.com/t/{id}"):
        domain, slash, path = address.partition("/")
        found = PLACEHOLDER.findall(path)
        if not slash or len(found) != 1 or found[0] != forms[0].placeholder:
            raise ConfigError(
                f"also {address!r} needs a domain and a path with the group's "
                f"{{{forms[0].placeholder}}}",
                node.where,
            )
        elsewhere.append((normalize_hostname(domain), PageForm(f"/{path}", found[0])))
    return PageGroup(kind_text, tuple(forms), tuple(elsewhere))


def _backdoors(node: Node | None) -> tuple[tuple[str, ...], str | None]:
    if node is None:
        return (), None
    fields = mapping(node, "`reviewed:` and `domains:`", ("reviewed", "domains"))
    if "reviewed" not in fields:
        raise ConfigError("back doors need the date they were last `reviewed:`", node.where)
    domains = tuple(normalize_hostname(d) for d in words(fields.get("domains"), "a domain"))
    return domains, scalar(fields["reviewed"], "a date").text


def _platform(key: str, node: Node) -> Platform:
    fields = mapping(node, "a platform description", _PLATFORM_KEYS)
    for needed in ("name", "domains", "handle", "pages"):
        if needed not in fields:
            raise ConfigError(f"platform {key!r} needs `{needed}:`", node.where)
    backdoors, reviewed = _backdoors(fields.get("backdoors"))
    return Platform(
        key=key,
        name=scalar(fields["name"], "a name").text,
        shorthands=tuple(w.lower() for w in words(fields.get("shorthands"), "a word")),
        domains=tuple(normalize_hostname(d) for d in words(fields["domains"], "a domain")),
        handle=re.compile(scalar(fields["handle"], "a pattern").text, re.IGNORECASE),
        strip=_optional_text(fields, "strip") or "",
        reserved=frozenset(words(fields.get("reserved"), "a path part")),
        pages=tuple(_page_group(group) for group in items(fields["pages"])),
        own_site=_optional_text(fields, "own_site"),
        titles=words(fields.get("titles"), "a title text"),
        backdoors=backdoors,
        backdoors_reviewed=reviewed,
    )


def parse_catalog(text: str, file: Path | str) -> Catalog:
    root = yamlsource.parse(text, file)
    if not isinstance(root, Mapping):
        raise ConfigError(f"{file}: expected a mapping of platforms")
    return Catalog(tuple(_platform(key, node) for key, (_, node) in root.entries.items()))


@functools.cache
def shipped_catalog() -> Catalog:
    """The catalog that ships with blocker, read once per process."""
    path = data_file("platforms.yaml")
    return parse_catalog(yamlsource.read_file(path), path)
