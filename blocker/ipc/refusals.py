"""The daemon's log of refused connections, kept short: a user in a loop would otherwise
write tens of thousands of lines a second into the journal."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

REFUSAL_LOG_SECONDS = 60.0  # one warning per user and reason this often, with a count


class RefusalLog:
    """Warns of refused connections, one line per user and reason a minute: a user in a
    loop would otherwise write tens of thousands of lines a second into the journal.
    What was refused meanwhile is counted and said in the next line."""

    def __init__(self) -> None:
        self._quiet: dict[tuple[int | None, str], tuple[float, int]] = {}

    def refused(self, uid: int | None, reason: str, now: float) -> None:
        logged_at, missed = self._quiet.get((uid, reason), (None, 0))
        if logged_at is not None and now - logged_at < REFUSAL_LOG_SECONDS:
            self._quiet[(uid, reason)] = (logged_at, missed + 1)
            return
        self._warn(uid, reason, missed + 1)
        self._quiet[(uid, reason)] = (now, 0)

    def flush(self, now: float) -> None:
        """Say the counts whose minute is over, so a flood that stopped is still told."""
        for (uid, reason), (logged_at, missed) in list(self._quiet.items()):
            if now - logged_at < REFUSAL_LOG_SECONDS:
                continue
            if missed:
                self._warn(uid, reason, missed)
            del self._quiet[(uid, reason)]

    @staticmethod
    def _warn(uid: int | None, reason: str, times: int) -> None:
        if times == 1:
            logger.warning("refused a connection from user id %s: %s", uid, reason)
        else:
            logger.warning(
                "refused %d connections from user id %s in the last minute: %s",
                times,
                uid,
                reason,
            )
