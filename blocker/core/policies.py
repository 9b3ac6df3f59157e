"""What the browsers' managed policies should say during a block: pure.

Chromium's URLBlocklist matches a path as a case-sensitive prefix (measured with Chromium
156: `instagram.com/janedoe` blocks `/janedoe2` and lets `/JaneDoe/` through). The format
has no end-of-path anchor, so the over-blocking cannot be closed; the case gap is narrowed
by also listing the spellings people and sites actually use (ALL CAPS, Capitalised, Title.Case)
and the spelling the person pasted (`x.com/JordanLee92`), which each Target keeps.
Firefox's WebsiteFilter lower-cases its patterns and so ignores case already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CHROMIUM_MAX_ENTRIES = 1000  # Chromium ignores URLBlocklist entries past this many


def case_variants(prefix: str) -> tuple[str, ...]:
    """Other spellings of a lower-case last path segment (`/alex.example` → `/Alex.Example`)."""
    head, _, last = prefix.rpartition("/")
    if not head or last != last.lower() or last.upper() == last:
        return ()
    spellings = dict.fromkeys((last.capitalize(), last.title(), last.upper()))
    spellings.pop(last, None)
    return tuple(f"{head}/{spelling}" for spelling in spellings)


@dataclass(frozen=True)
class ChromiumEntries:
    entries: tuple[str, ...]
    dropped: int  # prefixes that did not fit under Chromium's limit


def chromium_entries(prefixes: tuple[str, ...], others: tuple[str, ...] = ()) -> ChromiumEntries:
    """Our URLBlocklist: other policy files' entries (kept, since a later file replaces the
    list rather than merging it), our prefixes, then their other spellings while room lasts."""
    wanted = list(dict.fromkeys((*others, *prefixes)))
    room = CHROMIUM_MAX_ENTRIES - len(wanted)
    if room < 0:
        return ChromiumEntries(tuple(wanted[:CHROMIUM_MAX_ENTRIES]), -room)
    variants = [v for p in prefixes for v in case_variants(p) if v not in wanted]
    return ChromiumEntries(tuple(wanted + variants[:room]), 0)


def _host_of(entry: str) -> str:
    """The host part of a URLBlocklist/URLAllowlist entry (`https://.x.com/p` → `x.com`)."""
    rest = entry.split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0].lstrip(".").lower()


def opens_any(entry: str, prefixes: tuple[str, ...]) -> bool:
    """Whether an allowlist entry would let a blocked page through: Chromium lets an
    allowed address win over a blocked one, and `*` or a host allows all its pages."""
    host = _host_of(entry)
    return host in ("", "*") or any(
        host == site or site.endswith("." + host) or host.endswith("." + site)
        for site in (_host_of(p) for p in prefixes)
    )


EXTENSION_VALUE_VERSION = 1  # the shape of the value the extension reads; see its schema.json
NATIVE_HOST = "blocker_daemon"  # the extension's native-messaging host; see background.js


@dataclass(frozen=True)
class ExtensionInstall:
    """blocker's own extension as the policy names it, and what the other policy files of
    the folder set for extensions (ours, read last, would otherwise drop theirs)."""

    extension_id: str
    update_url: str  # the daemon's loopback server
    labels: Mapping[str, str] = field(default_factory=dict)  # prefix -> the page's label
    others_forced: tuple[str, ...] = ()  # their ExtensionInstallForcelist entries
    others_settings: Mapping[str, object] = field(default_factory=dict)  # their ExtensionSettings
    others_extensions: Mapping[str, object] = field(default_factory=dict)  # their 3rdparty values
    others_hosts: tuple[str, ...] = ()  # their NativeMessagingAllowlist


def extension_value(prefixes: tuple[str, ...], labels: Mapping[str, str]) -> dict[str, object]:
    """What the extension reads from chrome.storage.managed: each page with its label."""
    return {
        "version": EXTENSION_VALUE_VERSION,
        "targets": [{"label": labels.get(p, ""), "prefix": p} for p in prefixes],
    }


def extension_policies(prefixes: tuple[str, ...], install: ExtensionInstall) -> dict[str, object]:
    """The policies that force-install the extension and hand it the pages to stop.

    ExtensionInstallForcelist installs it and keeps it from being turned off or removed;
    the ExtensionSettings entry of its own ID outranks another file's `"*"` rules (a
    blocked-by-default setup would otherwise refuse it). The list reaches the extension
    as its managed storage ("3rdparty"), which Chromium reads from the same JSON file,
    and live from the daemon through blocker's native-messaging host, which the allowlist
    exempts from another file's NativeMessagingBlocklist."""
    ours = f"{install.extension_id};{install.update_url}"
    forced = [e for e in install.others_forced if e.split(";", 1)[0] != install.extension_id]
    settings = dict(install.others_settings)
    settings[install.extension_id] = {
        "installation_mode": "force_installed",
        "update_url": install.update_url,
    }
    extensions = dict(install.others_extensions)
    extensions[install.extension_id] = extension_value(prefixes, install.labels)
    return {
        "ExtensionInstallForcelist": list(dict.fromkeys([*forced, ours])),
        "ExtensionSettings": settings,
        "3rdparty": {"extensions": extensions},
        "NativeMessagingAllowlist": list(dict.fromkeys([*install.others_hosts, NATIVE_HOST])),
    }


INCOGNITO = "IncognitoModeAvailability"  # Edge names the same policy InPrivateModeAvailability


def side_doors_closed(private_windows: str = INCOGNITO) -> dict[str, object]:
    """Private and guest windows off while the block is on.

    blocker's extension does not run in either (Chromium keeps extensions out of
    off-the-record profiles unless the person allows each one), so an in-app route to the
    profile would show there. Measured with Chromium 156: with these, `--incognito` and
    `--guest` open an ordinary window, where the extension acts.

    Left as they are, on purpose:
    - BrowserAddPersonEnabled: our file is machine policy, so it and the force-installed
      extension apply to every profile, a new one included; blocking new profiles would
      take something from the person and close nothing.
    - Brave's private windows with Tor: Brave turns them off itself while private windows
      are off (no TorDisabled needed).
    - A DevTools-protocol client can still open an off-the-record context
      (Target.createBrowserContext, measured); only RemoteDebuggingAllowed=false would
      close that, and it would shut out every automation tool too. URLBlocklist still
      refuses typed addresses there.
    - `--disable-extensions` on the command line turns the extension off (measured); no
      policy closes a command-line switch (the process watcher notices such a browser).
      URLBlocklist still holds."""
    return {private_windows: 1, "BrowserGuestModeEnabled": False}


def chromium_policy(
    prefixes: tuple[str, ...],
    others: tuple[str, ...] = (),
    allowed: tuple[str, ...] = (),
    extension: ExtensionInstall | None = None,
    private_windows: str = INCOGNITO,
) -> dict[str, object]:
    """The JSON object of our Chromium policy file. `allowed` is the URLAllowlist of the
    other policy files: ours, read last, replaces it without the entries that would open
    a blocked page. With `extension` (while the daemon serves it), blocker's
    extension is installed too; URLBlocklist stays for typed and pasted addresses.
    `private_windows` is the browser's name for the policy that turns them off."""
    policy: dict[str, object] = {"DnsOverHttpsMode": "off"}  # DoH would bypass the hosts file
    policy.update(side_doors_closed(private_windows))
    entries = chromium_entries(prefixes, others).entries
    if entries:
        policy["URLBlocklist"] = list(entries)
    if allowed:
        policy["URLAllowlist"] = [e for e in allowed if not opens_any(e, prefixes)]
    if extension is not None and prefixes:
        policy.update(extension_policies(prefixes, extension))
    return policy


def firefox_patterns(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """WebsiteFilter match patterns: every scheme, the site and its subdomains, the path as a
    prefix. `*.host` in a match pattern also matches the bare host."""
    patterns = []
    for prefix in prefixes:
        host, _, path = prefix.partition("/")
        patterns.append(f"*://*.{host}/{path}*")
    return tuple(dict.fromkeys(patterns))
