"""Brings the layers of the block to what the engine planned, and says what changed: a
layer that failed or works again, a block put back after someone removed part of it,
policies that were rewritten, the block turning on or off. Driven by the engine's step."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from blocker.core.plan import Desired
from blocker.core.truthtext import counted
from blocker.enforce.layers import Layers
from blocker.ipc.wire import EventName

Emit = Callable[..., None]  # the engine's emit(name, message, **details)


class Enforcer:
    """Not thread-safe: the engine's thread calls it."""

    def __init__(self, layers: Layers, emit: Emit) -> None:
        self.layers, self._emit = layers, emit
        self.enforcing: bool | None = None  # None before the first step
        self.desired: Desired | None = None  # what the last step planned
        self.blocked: frozenset[str] | None = None  # what the hosts file held when checked
        self.failures: dict[str, str] = {}  # layer -> its error, as of the last step
        self._planned: tuple[Desired, bool] | None = None  # what the last step asked for
        self._paused = False  # whether the last step found a pause running

    def apply(self, desired: Desired, enforcing: bool, *, paused: bool) -> None:
        applied = self.layers.apply(
            desired.domains,
            desired.url_prefixes,
            enforcing,
            desired.page_labels,
            firefox_unsigned_addons=desired.firefox_unsigned_addons,
        )
        if applied.blocked_names is not None or self.blocked is None:
            self.blocked = applied.blocked_names
        self._report_failures(applied.failures)
        # A layer that had to change although blocker's plan did not was changed by
        # someone else: that is a tamper. A change blocker asked for (an add, letting
        # Firefox install the extension) is not: the whole plan is compared.
        planned = (dataclasses.replace(desired, next_change=None), enforcing)
        changed = applied.hosts_changed or applied.browsers_changed
        if changed and enforcing and planned == self._planned:
            self._emit(
                EventName.TAMPER_REPAIRED, "part of the block was removed or edited; it is back"
            )
        self._planned = planned
        if applied.browsers_changed:
            self._emit(
                EventName.POLICIES_CHANGED,
                f"browser policies updated for {', '.join(applied.browsers_changed)}",
                browsers=applied.browsers_changed,
            )
        # A pause's start and end are announced by the gate's own events: one event,
        # one notification, so the block turning off and on again around it is not.
        if enforcing != self.enforcing:
            if enforcing and not self._paused:
                self._emit(
                    EventName.BLOCK_STARTED,
                    f"blocking {counted(len(desired.domains), 'name')} and "
                    f"{counted(len(desired.url_prefixes), 'page')}",
                )
            elif not enforcing and self.enforcing is not None and not paused:
                self._emit(EventName.BLOCK_ENDED, "the block is off")
        self.enforcing, self.desired, self._paused = enforcing, desired, paused

    def _report_failures(self, failures: dict[str, str]) -> None:
        """Say once when a layer starts failing (the rest hold), and when it works again."""
        for layer, error in failures.items():
            if self.failures.get(layer) != error:
                details: dict[str, Any] = {"layer": layer, "error": error}
                self._emit(
                    EventName.LAYER_FAILED,
                    f"{layer}: {error}; the rest of the block holds, blocker tries again",
                    **details,
                )
        for layer in self.failures.keys() - failures.keys():
            self._emit(EventName.LAYER_RECOVERED, f"{layer} works again", layer=layer)
        self.failures = dict(failures)
