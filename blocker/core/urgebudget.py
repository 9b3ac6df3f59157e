"""How many urges sent on the control socket the log takes in: a person's urges come a
few a minute at most, while a loop sending them would grow the log until reading it
(`blocker stats`, `blocker log`) took the daemon's one thread for seconds. Pure."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

PER_MINUTE = 6  # a blocked page every ten seconds, for a minute on end
PER_DAY = 500  # far more than a day of urges; a 60-day period's log stays small


@dataclass
class UrgeBudget:
    """Called from the daemon's loop thread only."""

    per_minute: int = PER_MINUTE
    per_day: int = PER_DAY
    _last_minute: deque[datetime] = field(default_factory=deque)
    _day: date | None = None
    _today: int = 0

    def admit(self, now: datetime, day: date) -> bool:
        """Whether an urge at `now` (on the person's `day`) is taken into the log."""
        while self._last_minute and now - self._last_minute[0] >= timedelta(minutes=1):
            self._last_minute.popleft()
        if day != self._day:
            self._day, self._today = day, 0
        if len(self._last_minute) >= self.per_minute or self._today >= self.per_day:
            return False
        self._last_minute.append(now)
        self._today += 1
        return True
