"""Places in a policy file's nested objects (`("3rdparty", "Extensions", id)`): what one
holds, a value put there, and a place given back what another version of the file had
there (or nothing, with the objects only it needed), so that blocker's additions to a
shared policies.json come out again exactly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def put(policies: dict[str, Any], place: tuple[str, ...], value: object) -> None:
    *parents, last = place
    for key in parents:
        inner = policies.get(key)
        policies[key] = inner = inner if isinstance(inner, dict) else {}
        policies = inner
    policies[last] = value


def lookup(policies: Mapping[str, Any], place: tuple[str, ...]) -> tuple[bool, object]:
    """(whether `place` holds something, what)."""
    value: object = policies
    for key in place:
        if not isinstance(value, Mapping) or key not in value:
            return False, None
        value = value[key]
    return True, value


def put_back(policies: dict[str, Any], before: Mapping[str, Any], place: tuple[str, ...]) -> None:
    """`place` as it was in `before`: its value, or gone with the objects that only it
    needed (those `before` did not have)."""
    for depth in range(1, len(place) + 1):
        found, value = lookup(before, place[:depth])
        if not found:
            break
        if depth == len(place) or not isinstance(value, Mapping):  # theirs, whatever it is
            put(policies, place[:depth], json.loads(json.dumps(value)))
            return
    chain: list[dict[str, Any]] = [policies]
    for key in place[:-1]:
        inner = chain[-1].get(key)
        if not isinstance(inner, dict):
            return
        chain.append(inner)
    chain[-1].pop(place[-1], None)
    for depth in range(len(place) - 1, 0, -1):
        if chain[depth] or lookup(before, place[:depth])[0]:
            break
        chain[depth - 1].pop(place[depth - 1], None)
