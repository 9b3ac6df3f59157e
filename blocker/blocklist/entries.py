"""The words a new entry is written in: what is blocked, not the raw paste.

A pasted link carries tracking (`?igsh=…`), the post it was copied from (`/video/7300…`,
`/status/123`) and a scheme; months later the person reads their list and should see whom
it blocks. So a profile is written `- tiktok: jordanlee`, a page no `platform: name` can
stand for (a message thread, `profile.php?id=…`) as its clean address, and a site as its
name alone. Each form is read back before it is used: where it would not block exactly
what was added, the text as typed is kept."""

from __future__ import annotations

from blocker.core.catalog import Catalog
from blocker.core.domains import bare_domain, host_of
from blocker.core.sites import site
from blocker.core.targets import InvalidTarget, Target, TargetKey, from_shorthand, from_url

Entry = str | dict[str, str]


def _profile_forms(target: Target) -> list[Entry]:
    forms: list[Entry] = []
    if target.platform is not None and target.handle is not None:
        forms.append({target.platform: target.spelling or target.handle})
    forms.extend((target.spelled_prefixes or target.url_prefixes)[:1])
    return forms


def _reads_back(catalog: Catalog, section: str, entry: Entry, names: frozenset[str]) -> TargetKey:
    if isinstance(entry, dict):
        ((word, name),) = entry.items()
        return from_shorthand(catalog, word, name).key
    if section == "sites":
        return site(catalog, entry, names).key
    return from_url(catalog, entry, names).key


def written_entry(
    catalog: Catalog,
    section: str,
    target: Target,
    typed: str,
    machine_names: frozenset[str] = frozenset(),
) -> Entry:
    """The YAML value that lists `target` under `section`, as plain as it can be said."""
    if section == "sites":
        candidates: list[Entry] = [bare_domain(host_of(typed).rstrip("."))]
    else:
        candidates = _profile_forms(target)
    for candidate in candidates:
        try:
            if _reads_back(catalog, section, candidate, machine_names) == target.key:
                return candidate
        except InvalidTarget:
            continue
    return typed.strip()
