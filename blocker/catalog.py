"""The platform catalog (`config/platforms.yaml`) read into frozen, compiled form."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from blocker import yamlsource
from blocker.domains import normalize_hostname
from blocker.errors import ConfigError
from blocker.resources import data_file
from blocker.yamlsource import Mapping, Node, Scalar, Sequence

_PLACEHOLDER = re.compile(r"\{(handle|id)\}")
ID_PATTERN = re.compile(r"[A-Za-z0-9_.+=-]{1,128}")


@dataclass(frozen=True)
class PageForm:
    """One URL path of a profile or thread, e.g. `/@{handle}` or `/profile.php?id={id}`."""

    template: str
    placeholder: str  # "handle" (case-insensitive) or "id" (kept as written)

    @property
    def path(self) -> str:
        return self.template.split("?", 1)[0]

    @property
    def query(self) -> str | None:
        parts = self.template.split("?", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def literal_segments(self) -> int:
        return sum(1 for part in self.path.split("/") if part and "{" not in part)

    def fill(self, value: str) -> str:
        return _PLACEHOLDER.sub(value, self.template)


@dataclass(frozen=True)
class PageGroup:
    kind: str  # "profile" or "thread"
    forms: tuple[PageForm, ...]


@dataclass(frozen=True)
class Platform:
    key: str
    name: str
    shorthands: tuple[str, ...]
    domains: tuple[str, ...]
    handle: re.Pattern[str]
    strip: str
    reserved: frozenset[str]
    pages: tuple[PageGroup, ...]
    own_site: str | None
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    platforms: tuple[Platform, ...]

    def by_shorthand(self, word: str) -> Platform | None:
        lowered = word.strip().lower()
        return next((p for p in self.platforms if lowered in p.shorthands), None)

    def by_host(self, host: str) -> Platform | None:
        """The platform serving `host`: one of its domains or any subdomain of one."""
        for platform in self.platforms:
            for domain in platform.domains:
                if host == domain or host.endswith("." + domain):
                    return platform
        return None

    @property
    def shorthand_words(self) -> tuple[str, ...]:
        return tuple(word for p in self.platforms for word in p.shorthands)


def _strings(node: Node | None, field: str) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, Sequence) and all(isinstance(i, Scalar) for i in node.items):
        return tuple(i.text for i in node.items if isinstance(i, Scalar))
    raise ConfigError("expected a list of words", node.where)


def _text(node: Node | None, where_missing: Node, field: str) -> str:
    if isinstance(node, Scalar) and not node.is_null:
        return node.text
    raise ConfigError(f"expected {field} as text", (node or where_missing).where)


def _value(entry: Mapping, key: str) -> Node | None:
    found = entry.entries.get(key)
    return found[1] if found else None


def _page_group(node: Node) -> PageGroup:
    if not isinstance(node, Mapping):
        raise ConfigError("expected `paths:` and an optional `kind:`", node.where)
    kind = _value(node, "kind")
    kind_text = kind.text if isinstance(kind, Scalar) else "profile"
    if kind_text not in ("profile", "thread"):
        raise ConfigError(f"expected profile or thread, found {kind_text!r}", node.where)
    forms = []
    for template in _strings(_value(node, "paths"), "paths"):
        found = _PLACEHOLDER.findall(template)
        if len(found) != 1 or not template.startswith("/"):
            raise ConfigError(f"path {template!r} needs one {{handle}} or {{id}}", node.where)
        forms.append(PageForm(template, found[0]))
    if not forms:
        raise ConfigError("a page group needs at least one path", node.where)
    return PageGroup(kind_text, tuple(forms))


def _platform(key: str, node: Node) -> Platform:
    if not isinstance(node, Mapping):
        raise ConfigError("expected a platform description", node.where)
    name = _text(_value(node, "name"), node, "name")
    domains = tuple(normalize_hostname(d) for d in _strings(_value(node, "domains"), "domains"))
    pages = _value(node, "pages")
    if not isinstance(pages, Sequence) or not domains:
        raise ConfigError("a platform needs domains and pages", node.where)
    own_site = _value(node, "own_site")
    strip = _value(node, "strip")
    return Platform(
        key=key,
        name=name,
        shorthands=tuple(s.lower() for s in _strings(_value(node, "shorthands"), "shorthands")),
        domains=domains,
        handle=re.compile(_text(_value(node, "handle"), node, "handle"), re.IGNORECASE),
        strip=strip.text if isinstance(strip, Scalar) else "",
        reserved=frozenset(_strings(_value(node, "reserved"), "reserved")),
        pages=tuple(_page_group(group) for group in pages.items),
        own_site=own_site.text if isinstance(own_site, Scalar) else None,
        titles=_strings(_value(node, "titles"), "titles"),
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
