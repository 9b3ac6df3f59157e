"""What the machine should look like now: a pure function of the config, `now` and the zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from blocker.core.config import Config
from blocker.core.schedule import is_blocking, next_change


@dataclass(frozen=True)
class Desired:
    blocking: bool
    domains: tuple[str, ...]  # for the hosts file; empty when not blocking
    url_prefixes: tuple[str, ...]  # for browser policies; empty when not blocking
    title_patterns: tuple[str, ...]
    next_change: datetime | None
    backdoor_domains: tuple[str, ...] = ()  # part of `domains`: viewer and mirror sites
    page_labels: tuple[tuple[str, str], ...] = ()  # (url prefix, its target's label)
    firefox_unsigned_addons: bool = False  # the list lets Firefox install blocker's extension


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def plan(config: Config, now: datetime, zone: tzinfo) -> Desired:
    upcoming = next_change(config.period, now, zone)
    if not is_blocking(config.period, now, zone):
        return Desired(False, (), (), (), upcoming)
    return everything(config, upcoming)


def everything(config: Config, upcoming: datetime | None = None) -> Desired:
    """What the list blocks while its block is on, whatever the time is now."""
    sites = _unique([d for t in config.targets for d in t.hosts_domains])
    backdoors = (
        _unique([d for t in config.targets for d in t.backdoor_domains if d not in sites])
        if config.backdoors
        else ()
    )
    return Desired(
        blocking=True,
        domains=sites + backdoors,
        backdoor_domains=backdoors,
        url_prefixes=_unique([p for t in config.targets for p in t.url_prefixes]),
        title_patterns=_unique([p for t in config.targets for p in t.title_patterns]),
        next_change=upcoming,
        page_labels=tuple({p: t.label for t in config.targets for p in t.url_prefixes}.items()),
        firefox_unsigned_addons=config.firefox_unsigned_addons,
    )
