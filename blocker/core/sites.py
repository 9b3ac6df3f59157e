"""A whole site, as listed under `sites:` or added with `blocker add --site`: pure.

A site is a name alone. A page's address (a path, a query, a port) given as a site is
refused rather than cut down to its host, which would silently block far more than the
page the person meant (all of Instagram for one profile)."""

from __future__ import annotations

from urllib.parse import urlsplit

from blocker.core.catalog import Catalog
from blocker.core.domains import (
    InvalidHostname,
    bare_domain,
    host_of,
    normalize_hostname,
    with_subdomain_forms,
)
from blocker.core.targets import InvalidTarget, Target, all_forms, from_url, shorthand_of


class PageNotSite(InvalidTarget):
    """A page's address (a path, a port) given where a whole site was asked for. Blocking
    the site would block far more than the page: it is refused, never cut down to the host.
    `profile` is the profile or thread the page is, where blocker knows it."""

    def __init__(self, message: str, host: str, profile: Target | None) -> None:
        super().__init__(message)
        self.host = host
        self.profile = profile


def _refuse_a_page(catalog: Catalog, text: str, machine_names: frozenset[str]) -> None:
    """Raise PageNotSite where `text` names more than a host: a path, a query or a port."""
    stripped = text.strip()
    parts = urlsplit(stripped if "://" in stripped else "//" + stripped)
    try:
        port = parts.port
    except ValueError:
        port = -1  # not a number: still more than a host
    if parts.path.strip("/") == "" and not parts.query and port is None:
        return
    try:
        profile: Target | None = from_url(catalog, stripped, machine_names)
    except InvalidTarget:
        profile = None
    host = bare_domain(host_of(stripped).rstrip("."))  # as typed, not in punycode
    what = (
        "an address with a port" if port is not None and parts.path.strip("/") == "" else "a page"
    )
    if profile is None:
        message = (
            f"{stripped!r} is {what}, not a whole site; write the name alone, {host}, "
            "to block all of it"
        )
    else:
        words = shorthand_of(profile, ": ")
        instead = (
            f"to block the profile, list it under `profiles:` as `{words}`"
            if words
            else "to block the message thread, list its address under `profiles:`"
        )
        message = (
            f"{stripped!r} is a page, not a whole site: as a site it would block all of "
            f"{host}; {instead}"
        )
    raise PageNotSite(message, host, profile)


def site(catalog: Catalog, text: str, machine_names: frozenset[str] = frozenset()) -> Target:
    """A whole site. A known platform's site brings all its aliases (`x.com` and
    `twitter.com`); any other site its www., m. and mobile. forms. A page's address is
    refused (PageNotSite), since blocking its site would block far more than was meant."""
    try:
        host = normalize_hostname(text, machine_names)
    except InvalidHostname as error:
        raise InvalidTarget(str(error)) from None
    _refuse_a_page(catalog, text, machine_names)
    platform = catalog.by_host(host)
    if platform is not None and bare_domain(host) in platform.domains:
        names = all_forms(platform)
        label = platform.domains[0]
    else:
        names = with_subdomain_forms(host)
        label = bare_domain(host)
    return Target(
        kind="site",
        label=label,
        platform=platform.key if platform else None,
        handle=None,
        domains=names,
        hosts_domains=names,
        url_prefixes=(),
        title_patterns=(),
    )
