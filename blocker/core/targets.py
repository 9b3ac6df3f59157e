"""What a person pastes (a URL, `instagram: alex.example`, a site) turned into a Target.

A Target says everything each layer needs: the names for the hosts file, the URL prefixes
for the browsers' policies and the window-title text for the title watcher. It is pure:
the catalog is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from blocker.core.catalog import ID_PATTERN, Catalog, PageForm, PageGroup, Platform
from blocker.core.domains import (
    InvalidHostname,
    bare_domain,
    host_of,
    is_registrable,
    normalize_hostname,
    with_subdomain_forms,
)
from blocker.core.mistakes import nearly_a_profile, unknown_platform
from blocker.core.policies import case_variants


class InvalidTarget(ValueError):
    """What was written is not a profile, thread or site blocker can block; says why."""


# kind, platform, handle, then what each layer enforces: hosts names, pages, title text
TargetKey = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Target:
    kind: str  # "profile", "thread" or "site"
    label: str  # how it is shown: "instagram: alex.example", "alexblog.example.com"
    platform: str | None
    handle: str | None
    domains: tuple[str, ...]  # every name the target's site answers on
    hosts_domains: tuple[str, ...]  # names the hosts file sinks (whole sites, own blogs)
    url_prefixes: tuple[str, ...]  # host + path, no scheme, as browser policies take them
    title_patterns: tuple[str, ...]
    backdoor_domains: tuple[str, ...] = ()  # the platform's viewer and mirror sites
    # The name as pasted where its capitals differ from `handle` and from the usual
    # spellings (`JordanLee92`), and its pages in that spelling (also in url_prefixes):
    # Chromium's URLBlocklist compares paths with their capitals, and the spelling pasted
    # is the one links carry.
    spelling: str | None = None
    spelled_prefixes: tuple[str, ...] = ()

    @property
    def key(self) -> TargetKey:
        """Two targets with the same key block the same thing: one entry written twice
        (`youtube: alex` and `youtube.com/@alex`) is listed once. Two forms of one profile
        (`facebook.com/N` and `facebook.com/profile.php?id=N`) block different pages and
        so are two entries, each kept. Spellings do not count: `x: JordanLee92` and
        `x: jordanlee92` are one person."""
        return (
            self.kind,
            self.platform or "",
            self.handle or "",
            self.hosts_domains,
            tuple(p for p in self.url_prefixes if p not in self.spelled_prefixes),
            self.title_patterns,
        )

    @property
    def subject(self) -> tuple[str, ...]:
        """Whom or what the entry is about, whatever page forms it blocks: `blocker
        remove youtube: alex` takes off every entry of that channel, `/c/alex` too."""
        return (self.kind, self.platform or "", self.handle or "", *self.hosts_domains)


def _names(domains: tuple[str, ...]) -> tuple[str, ...]:
    """Each domain with its www./m./mobile. forms where it is a registrable name."""
    names: list[str] = []
    for domain in domains:
        names.extend(with_subdomain_forms(domain) if is_registrable(domain) else (domain,))
    return tuple(dict.fromkeys(names))


def all_forms(platform: Platform) -> tuple[str, ...]:
    return _names(platform.domains)


def _as_written(platform: Platform, raw: str) -> str:
    handle = raw.strip().lstrip("@")
    for character in platform.strip:
        handle = handle.replace(character, "")
    return handle


def _clean_handle(platform: Platform, raw: str, form: PageForm) -> str:
    handle = _as_written(platform, raw)
    if form.placeholder == "handle":
        if not platform.handle.fullmatch(handle):
            raise InvalidTarget(
                f"{raw!r} does not look like a {platform.name} name "
                f"(expected {platform.handle.pattern})"
            )
        # These platforms treat names without regard to case, so one spelling is kept.
        return handle.lower()
    if not ID_PATTERN.fullmatch(handle):
        raise InvalidTarget(f"{raw!r} does not look like a {platform.name} address part")
    return handle


def _make(platform: Platform, group: PageGroup, value: str, written: str | None = None) -> Target:
    """The Target of `value` in `group`; `written` is the name as pasted, capitals and all."""
    prefixes = tuple(
        f"{domain}{form.fill(value)}" for domain in platform.domains for form in group.forms
    ) + tuple(f"{domain}{form.fill(value)}" for domain, form in group.elsewhere)
    spelling = written if written and written != value and written.lower() == value else None
    spelled: tuple[str, ...] = ()
    if spelling is not None:
        in_spelling = (
            f"{domain}{form.fill(spelling)}"
            for domain in platform.domains
            for form in group.forms
            if form.placeholder == "handle"  # an id is kept as written already
        )
        # Chromium's list holds the usual spellings of each page already (case_variants).
        usual = {*prefixes, *(v for p in prefixes for v in case_variants(p))}
        spelled = tuple(p for p in dict.fromkeys(in_spelling) if p not in usual)
    uses_handle = group.forms[0].placeholder == "handle"
    own_site: tuple[str, ...] = ()
    if platform.own_site and uses_handle:
        own_site = (normalize_hostname(platform.own_site.replace("{handle}", value)),)
    titles = tuple(t.replace("{handle}", value) for t in platform.titles) if uses_handle else ()
    return Target(
        kind=group.kind,
        label=f"{platform.key}{' messages' if group.kind == 'thread' else ''}: {value}",
        platform=platform.key,
        handle=value,
        domains=all_forms(platform) + own_site,
        hosts_domains=own_site,
        url_prefixes=prefixes + spelled,
        title_patterns=titles,
        backdoor_domains=_names(platform.backdoors),
        spelling=spelling if spelled else None,
        spelled_prefixes=spelled,
    )


def from_shorthand(catalog: Catalog, word: str, handle: str) -> Target:
    """`instagram: alex.example` → the profile Target (the platform's first page group)."""
    platform = catalog.by_shorthand(word)
    if platform is None:
        raise InvalidTarget(unknown_platform(catalog, word))
    if not handle.strip():
        raise InvalidTarget(f"write the {platform.name} name after `{word}:`")
    group = platform.pages[0]
    value = _clean_handle(platform, handle, group.forms[0])
    return _make(platform, group, value, _as_written(platform, handle))


def _match_form(form: PageForm, segments: list[str], query: dict[str, list[str]]) -> str | None:
    template = [part for part in form.path.split("/") if part]
    if len(segments) < len(template):
        return None
    captured = None
    for want, got in zip(template, segments, strict=False):
        if "{" in want:
            prefix = want.split("{", 1)[0]
            if not got.startswith(prefix) or len(got) == len(prefix):
                return None
            captured = got[len(prefix) :]
        elif want.lower() != got.lower():
            return None
    if form.query is not None:
        name = form.query.split("=", 1)[0]
        values = query.get(name)
        return values[0] if values else None
    return captured


def from_url(catalog: Catalog, url: str, machine_names: frozenset[str] = frozenset()) -> Target:
    """A pasted profile or message-thread URL → its Target. Query strings, fragments and
    tracking parameters are dropped (except an id a page form needs)."""
    if "://" not in url:
        question = nearly_a_profile(catalog, url)
        if question is not None:
            raise InvalidTarget(question)
    if re.search(r"\s|[\x00-\x1f\x7f]", url.strip()):
        raise InvalidTarget(
            f"{url!r} contains a space or a control character; paste the "
            "address exactly as the browser shows it"
        )
    try:
        host = normalize_hostname(host_of(url), machine_names)
    except InvalidHostname as error:
        raise InvalidTarget(str(error)) from None
    platform = catalog.by_host(host)
    if platform is None:
        raise InvalidTarget(
            f"{bare_domain(host)} is not a site blocker knows profiles on; to block the whole "
            f"site, list {bare_domain(host)} under `sites:` (or use "
            f"`blocker add --site {bare_domain(host)}`)"
        )
    if platform.own_site:
        suffix = platform.own_site.replace("{handle}", "")
        if host.endswith(suffix) and bare_domain(host) not in platform.domains:
            group = platform.pages[0]
            blog = host[: -len(suffix)]
            return _make(platform, group, _clean_handle(platform, blog, group.forms[0]))
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    candidates = sorted(
        ((group, form) for group in platform.pages for form in group.forms),
        key=lambda pair: -pair[1].literal_segments,
    )
    for group, form in candidates:
        captured = _match_form(form, segments, query)
        if captured is None:
            continue
        if form.placeholder == "handle" and captured.lower().lstrip("@") in platform.reserved:
            break
        value = _clean_handle(platform, captured, form)
        return _make(platform, group, value, _as_written(platform, captured))
    raise InvalidTarget(
        f"{url.strip()!r} is a page on {platform.name} but not a profile or message thread; open "
        "the person's profile and copy its address, or block all of "
        f"{platform.domains[0]} under `sites:`"
    )


def shorthand_of(target: Target, between: str = ":") -> str | None:
    """`instagram:alex.example`, the words that add `target` again (in the spelling
    pasted), where there are such; `between` is `": "` for the YAML form."""
    if target.kind != "profile" or target.platform is None or target.handle is None:
        return None
    return f"{target.platform}{between}{target.spelling or target.handle}"


def with_spellings_of(first: Target, again: Target) -> Target | None:
    """`first` also blocking the pages `again` spells otherwise (`x: jordanlee92`, then
    `x.com/JordanLee92` pasted), or None where `again` adds no spelling: one person, one
    entry in the list shown, every spelling pasted in Chromium's."""
    new = tuple(p for p in again.spelled_prefixes if p not in first.url_prefixes)
    if not new or again.key != first.key:
        return None
    return replace(
        first,
        url_prefixes=first.url_prefixes + new,
        spelled_prefixes=first.spelled_prefixes + new,
    )
