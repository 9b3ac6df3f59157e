"""What to answer when what was typed is nearly a profile: a name without its site
(`@jordanlee`), a platform misspelt (`instagarm:jordan.lee.92`). Pure: the catalog is
passed in. Each answer says what to write instead, as a question where blocker cannot
know (which platform a bare name is on)."""

from __future__ import annotations

import re

from blocker.core.catalog import Catalog
from blocker.core.domains import InvalidHostname, normalize_hostname

_LOOKS_LIKE_A_NAME = re.compile(r"@?[A-Za-z0-9._-]{1,100}")
_PLATFORM_AND_NAME = re.compile(r"([A-Za-z][A-Za-z0-9]*)\s*:\s*(?!//)(\S+)")


def close_platform(catalog: Catalog, word: str) -> str | None:
    """The platform word `word` is nearest to (`instagarm` → `instagram`), if any is near.
    Names count as well as shorthands (`twiter`); the answer is always a word blocker takes."""
    wanted: dict[str, str] = {}
    for platform in catalog.platforms:
        for shorthand in platform.shorthands:
            wanted.setdefault(shorthand, shorthand)
        wanted.setdefault(platform.name.lower(), platform.key)
    import difflib  # only for a mistake: the daemon, which parses every edit, never needs it

    found = difflib.get_close_matches(word.strip().lower(), list(wanted), n=1, cutoff=0.75)
    return wanted[found[0]] if found else None


def unknown_platform(catalog: Catalog, word: str) -> str:
    """The answer to a platform word blocker does not know."""
    near = close_platform(catalog, word)
    if near is not None:
        return f"{word.strip()!r} is not a platform blocker knows: did you mean {near}?"
    known = ", ".join(catalog.shorthand_words)
    return f"{word.strip()!r} is not a platform blocker knows (known: {known})"


def _is_a_site_name(text: str) -> bool:
    try:
        normalize_hostname(text)
    except InvalidHostname:
        return False
    return True


def nearly_a_profile(catalog: Catalog, typed: str) -> str | None:
    """What to ask where `typed` (without a scheme) is a name with no site, a platform
    alone or a misspelt `platform:name`; None where it may be an address."""
    text = typed.strip()
    pair = _PLATFORM_AND_NAME.fullmatch(text)
    if pair and not pair[2].isdigit() and catalog.by_shorthand(pair[1]) is None:
        return unknown_platform(catalog, pair[1])
    if "/" in text or not _LOOKS_LIKE_A_NAME.fullmatch(text):
        return None
    platform = catalog.by_shorthand(text)
    if platform is not None:
        return (
            f"{text!r} is a platform, not a profile: write `{platform.key}:` and the "
            f"person's name on {platform.name}, or block all of it as a whole site, "
            f"{platform.domains[0]}"
        )
    if text.startswith("@") or "." not in text or not _is_a_site_name(text):
        name = text.lstrip("@")
        return f"which site is {text} on? e.g. instagram:{name} or tiktok:@{name}"
    return None
