"""systemd's watchdog (the unit's WatchdogSec=): the daemon says it is alive at every
step, and a daemon that stops saying so (frozen with SIGSTOP, or hung) is killed and
started again by systemd, so that a frozen daemon cannot leave the block unrepaired.
Without $NOTIFY_SOCKET (no systemd, a sandbox, the tests) it does nothing."""

from __future__ import annotations

import logging
import os
import socket

logger = logging.getLogger(__name__)


class Watchdog:
    """Called from the daemon's loop thread only; never blocks."""

    def __init__(self, address: str | None) -> None:
        # An address starting with "@" is in the abstract namespace (sd_notify(3)).
        self.address = "\0" + address[1:] if address and address.startswith("@") else address
        self.sock: socket.socket | None = None

    @classmethod
    def from_environment(cls) -> Watchdog:
        address = os.environ.pop("NOTIFY_SOCKET", None)  # not handed to programs we start
        return cls(address if address and os.environ.get("WATCHDOG_USEC") else None)

    def alive(self) -> None:
        if self.address is None:
            return
        try:
            if self.sock is None:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self.sock.setblocking(False)
            self.sock.sendto(b"WATCHDOG=1", self.address)
        except OSError as error:  # systemd restarted, say: it is asked again next step
            logger.warning("could not tell systemd the daemon is alive: %s", error)
