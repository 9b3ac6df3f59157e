"""Hostnames the hosts file may hold: validated, lower-cased, IDN turned into punycode.

A hosts file is line-oriented and has no quoting, so a name is only accepted when every
label is plain letters, digits and hyphens. That one rule is what keeps a hostile entry
(a newline, a `#`, a space followed by another name) from ever reaching the file.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_FORBIDDEN_CHARACTERS = re.compile(r"[\s#]|[\x00-\x1f\x7f]")
# Names a hosts block must never shadow: they belong to this machine.
LOCAL_NAMES = frozenset(
    {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "broadcasthost"}
)
SUBDOMAIN_FORMS = ("www.", "m.", "mobile.")


class InvalidHostname(ValueError):
    """A site the hosts file cannot (or must not) hold; the message says why and what to do."""


def host_of(text: str) -> str:
    """The host part of a pasted URL or of a bare name (`https://Example.com/x` → `Example.com`)."""
    candidate = text.strip()
    if "://" not in candidate:
        candidate = "//" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError as error:
        raise InvalidHostname(f"{text!r} is not a web address ({error})") from None
    if not host:
        raise InvalidHostname(f"{text!r} has no site name in it")
    return host


def normalize_hostname(text: str, machine_names: frozenset[str] = frozenset()) -> str:
    """Turn what a person typed into one safe, lower-case ASCII hostname, or explain why not."""
    if _FORBIDDEN_CHARACTERS.search(text.strip()):
        raise InvalidHostname(
            f"{text!r} contains a space, a '#' or a control character; write one site name "
            "such as alexblog.example.com"
        )
    if "*" in text:
        raise InvalidHostname(
            f"{text!r} is a wildcard, and a hosts file cannot hold wildcards (it only maps exact "
            "names); write the site itself, e.g. example.com, and blocker also blocks its www., "
            "m. and mobile. forms"
        )
    host = host_of(text).rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise InvalidHostname(
            f"{text!r} is an IP address; a hosts file blocks names, not addresses"
        )
    ascii_host = _ascii(host, text)
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise InvalidHostname(f"{text!r} is not a valid site name")
    own = {name.lower().rstrip(".") for name in machine_names}
    if ascii_host in LOCAL_NAMES or ascii_host in own or ascii_host.endswith(".localhost"):
        raise InvalidHostname(
            f"{text!r} is this computer's own name; blocking it would break programs on it"
        )
    if len(labels) < 2 or labels[-1].isdigit():
        raise InvalidHostname(
            f"{text!r} is not a full site name; write it with its ending, e.g. example.com"
        )
    return ascii_host


def _ascii(host: str, text: str) -> str:
    """`host` as the hosts file holds it: lower case, international names in punycode.
    A plain name needs nothing of idna but lower case (the label check after it is the
    rule idna applies); idna, whose tables cost the daemon 600 KB of memory, is loaded
    only for a name that has other letters, or a label idna reserves (`xn--`, `ab--`)."""
    if host.isascii() and not any(label[2:4] == "--" for label in host.split(".")):
        return host.lower()
    import idna

    try:
        return str(idna.encode(host, uts46=True).decode("ascii"))
    except idna.IDNAError as error:
        raise InvalidHostname(f"{text!r} is not a valid site name ({error})") from None


def bare_domain(host: str) -> str:
    """`www.instagram.com` → `instagram.com`: the name without a www./m./mobile. prefix."""
    for prefix in SUBDOMAIN_FORMS:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def is_registrable(domain: str) -> bool:
    """Roughly: a name a site is registered under (`example.com`, `example.co.uk`), not a
    host inside one (`api.whatsapp.com`). Good enough to decide where www. forms make sense."""
    labels = domain.split(".")
    return len(labels) == 2 or (len(labels) == 3 and len(labels[1]) <= 3 and len(labels[2]) == 2)


def with_subdomain_forms(domain: str) -> tuple[str, ...]:
    """Every name a person reaches one site by: itself and its www., m. and mobile. forms."""
    base = bare_domain(domain)
    return (base, *(prefix + base for prefix in SUBDOMAIN_FORMS))
