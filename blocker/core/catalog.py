"""The platform catalog in frozen, compiled form: each platform's domains, handle rule and
page forms. Pure data; `blocklist.catalog_file` reads it from `config/platforms.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{(handle|id)\}")
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
        return PLACEHOLDER.sub(value, self.template)


@dataclass(frozen=True)
class PageGroup:
    kind: str  # "profile" or "thread"
    forms: tuple[PageForm, ...]
    # The same page on another site's address, as (domain, form): a Facebook message
    # thread opens on messenger.com/t/ID too, with the same id.
    elsewhere: tuple[tuple[str, PageForm], ...] = ()


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
    backdoors: tuple[str, ...] = ()  # viewer, mirror and front-end sites of this platform
    backdoors_reviewed: str | None = None


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
