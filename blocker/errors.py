"""One error root whose message is written for the person, and the exit codes the CLI uses."""

from __future__ import annotations

import enum

# Not `from typing import TYPE_CHECKING`: importing typing adds 2.8 ms to `blocker status`;
# see blocker/ipc/client.py.
TYPE_CHECKING = False

if TYPE_CHECKING:  # every command imports this module: it stays light
    from blocker.core.location import Location


class ExitStatus(enum.IntEnum):
    """What `blocker` returns to the shell; documented in `blocker --help`."""

    OK = 0
    ERROR = 1  # the machine refused something: a file could not be read or written
    INVALID = 2  # the block list or the command line is wrong; nothing was changed
    REFUSED = 3  # the request would loosen a running block before its cooldown
    NEEDS_ROOT = 4  # the command must run as root (or with --sandbox)


class BlockerError(Exception):
    """An error the person can act on. `str(error)` is the whole message, one sentence."""

    exit_status = ExitStatus.ERROR


class ConfigError(BlockerError):
    """The block list is wrong. Names file:line:column and the field, what was expected and
    what was found."""

    exit_status = ExitStatus.INVALID

    def __init__(self, message: str, where: Location | None = None) -> None:
        self.where = where
        self.bare_message = message
        if where is None:
            super().__init__(message)
        else:
            super().__init__(f"{where}: {where.field}: {message}")


class UsageError(BlockerError):
    exit_status = ExitStatus.INVALID


class RefusedError(BlockerError):
    exit_status = ExitStatus.REFUSED


class NeedsRootError(BlockerError):
    exit_status = ExitStatus.NEEDS_ROOT


class HostsFileError(BlockerError):
    """The hosts file could not be read, written or verified."""
