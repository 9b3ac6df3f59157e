"""Where the daemon's control socket is, for the daemon, the CLI and the paths alike."""

from __future__ import annotations

import os

SOCKET_NAME = "control.sock"
SYSTEM_SOCKET = "/run/blocker/control.sock"


def socket_path(sandbox: str | None, state_dir: str | None, system: str = SYSTEM_SOCKET) -> str:
    """Where the daemon listens: beside its own state folder when it was given one, in the
    sandbox folder, or the system's socket. Paths takes its socket from here too."""
    folder = state_dir or sandbox
    if not folder:
        return system
    # os.path, not pathlib: importing pathlib would add a third to `blocker status`'s start.
    return os.path.join(os.path.expanduser(folder), SOCKET_NAME)  # noqa: PTH111, PTH118
