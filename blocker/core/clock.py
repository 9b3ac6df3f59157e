"""Time you cannot cheat: a clock that moves with the machine's elapsed time, not the wall.

While the daemon runs, its notion of now advances only by the elapsed clock (one that
counts suspend but ignores changes of the system time), from a checkpoint saved to disk.
Moving the system clock by a minute or by 40 days therefore moves nothing. Across a
restart of the daemon within one boot, the elapsed clock carries on and the saved
checkpoint is exact. Across a reboot the time the machine was off is only known from the
wall clock: it is credited, but the trusted time never goes backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Checkpoint:
    boot_id: str
    elapsed: float  # seconds on the elapsed clock of that boot
    trusted: datetime  # the trusted instant at that moment (UTC)

    def now(self, elapsed: float) -> datetime:
        """The trusted instant when the elapsed clock reads `elapsed` (same boot)."""
        return self.trusted + timedelta(seconds=max(0.0, elapsed - self.elapsed))

    def advanced(self, elapsed: float) -> Checkpoint:
        return Checkpoint(self.boot_id, elapsed, self.now(elapsed))

    def to_json(self) -> dict[str, object]:
        return {
            "boot_id": self.boot_id,
            "elapsed": self.elapsed,
            "trusted": self.trusted.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Checkpoint:
        trusted = datetime.fromisoformat(str(data["trusted"]))
        if trusted.tzinfo is None:
            raise ValueError("the trusted time has no zone")
        elapsed = data["elapsed"]
        if not isinstance(elapsed, int | float):
            raise TypeError("the elapsed time is not a number")
        return cls(str(data["boot_id"]), float(elapsed), trusted.astimezone(UTC))


def resume(
    saved: Checkpoint | None,
    boot_id: str,
    elapsed: float,
    wall: datetime,
    *,
    believe_a_reboot: bool = True,
) -> Checkpoint:
    """The checkpoint to run from, given the last saved one and the clocks now.

    A reboot (another boot id, or an elapsed clock that went back) is the one moment the
    wall clock is believed: the time the machine was off can be read nowhere else. Where
    the clocks may be faked (`believe_a_reboot` False: see Clocks.doubts), nothing is
    credited then, and blocker's time goes on from where it was saved."""
    if saved is None:
        return Checkpoint(boot_id, elapsed, wall)
    if saved.boot_id == boot_id and elapsed >= saved.elapsed:
        return saved.advanced(elapsed)
    if not believe_a_reboot:
        return Checkpoint(boot_id, elapsed, saved.trusted)
    return Checkpoint(boot_id, elapsed, max(saved.trusted, wall))


class Clocks(Protocol):
    """The machine's clocks; see system/clocks.py. Cheap, callable from any thread."""

    def wall(self) -> datetime: ...
    def elapsed(self) -> float: ...
    def boot_id(self) -> str: ...
    def doubts(self) -> str:
        """Why these clocks may be faked for this process, in words; "" where nothing
        says so."""
        ...
