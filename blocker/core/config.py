"""The block list as blocker understands it: a frozen Config, and the limits on its values.

Pure data. Reading the YAML file into one is `blocklist.config_file`'s job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from blocker.core.schedule import Period
from blocker.core.targets import Target


@dataclass(frozen=True)
class PauseRules:
    cooldown: timedelta = timedelta(minutes=15)
    max_length: timedelta = timedelta(minutes=15)
    per_day: int = 2

    def stricter(self, other: PauseRules) -> PauseRules:
        """Each rule at the stricter of the two: the longer cooldown, the shorter and
        fewer pauses."""
        return PauseRules(
            cooldown=max(self.cooldown, other.cooldown),
            max_length=min(self.max_length, other.max_length),
            per_day=min(self.per_day, other.per_day),
        )


@dataclass(frozen=True)
class Config:
    source: str
    period: Period
    targets: tuple[Target, ...]
    pause: PauseRules
    warnings: tuple[str, ...] = ()
    strict: bool = False  # close a browser started on a blocked page
    reasons: tuple[str, ...] = ()  # the person's own "why I am doing this", shown first
    backdoors: bool = True  # block the viewer and mirror sites of blocked profiles' platforms
    # `firefox: allow_unsigned_addons`: while blocking, Firefox checks no add-on's signature,
    # so that it installs blocker's own (unsigned) extension. Never a default.
    firefox_unsigned_addons: bool = False

    @property
    def profiles(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind != "site")

    @property
    def sites(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind == "site")


# Limits a person never meets, so that no value of the list reaches an overflow in the
# gate (`now + cooldown`) or leaves a pause that outlasts the day it was asked on.
MAX_COOLDOWN = timedelta(days=2)
MAX_PAUSE = timedelta(days=1)
MAX_PAUSES_A_DAY = 24
