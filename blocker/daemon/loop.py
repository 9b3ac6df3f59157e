"""`blocker daemon` (and `blocker run`): the process around the engine.

One thread owns everything: a selector waits on the control socket, its connections, the
kernel's process events and a wake-up pipe, with a timeout that is the next thing due
(the engine's step, the files' safety-net check, the process scan where the kernel sends
no process events). File events (watchdog's threads) only write a byte into the pipe.
The loop wakes as seldom as it can: on a small virtual machine each wake-up costs a fifth
of a millisecond of CPU. SIGTERM and SIGINT stop it and leave the block: it fails closed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from blocker.daemon import status as daemon_status
from blocker.daemon.engine import Engine
from blocker.daemon.handlers import Requests
from blocker.daemon.watchers import Watchers
from blocker.errors import BlockerError
from blocker.ipc import server as control
from blocker.ipc.wire import EventName, Op
from blocker.system import uninstalled
from blocker.system.watchdog import Watchdog
from blocker.watch.files import FileWatcher
from blocker.watch.sites import SITE_PORTS, SiteAttempts

if TYPE_CHECKING:
    from blocker.enforce.extension.update_server import ExtensionServer

logger = logging.getLogger(__name__)

# How far the trusted clock's saved checkpoint may lag: across a reboot with the clock set
# back (clock.py), and the cooldown a crash costs, since a start moves waiting requests
# later by the time since it (recovery.py). State changes and stops checkpoint too.
CHECKPOINT_SECONDS = 60.0
RETRY_AFTER_ERROR = 5.0


class Daemon:
    def __init__(
        self,
        engine: Engine,
        socket_path: Path,
        allowed_uids: frozenset[int],
        on_uninstall: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.watchers = Watchers(engine)
        self.count_sites = engine.paths.hosts_is_system
        self.on_uninstall = on_uninstall  # removes the service files once uninstall matures
        self.requests = Requests(engine)
        self.selector = selectors.DefaultSelector()
        self.server = control.Server(socket_path, allowed_uids, self._handle, self._forget)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._stopping = False
        self._uninstalled = False  # the uninstall completed: the service and state are gone
        self._woken = False
        self._last_checkpoint = time.monotonic()
        self._hearing = False  # whether the selector waits on the process events' socket
        self.watchdog = Watchdog.from_environment()

    def wake(self) -> None:
        """Safe from any thread and from signal handlers."""
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_write, b"x")

    def _site_asked(self, name: str) -> None:
        """From the listener's thread: queue the name and wake the loop."""
        self.watchers.site_names.put(name)
        self.wake()

    def _handle(self, message: dict[str, Any], connection: control.Connection) -> dict[str, Any]:
        if message.get("op") == Op.SUBSCRIBE:
            connection.subscriber = True
            return {
                "ok": True,
                "subscribed": True,
                "status": daemon_status.status(self.engine).to_json(),
            }
        return self.requests.handle(message)

    def stop(self) -> None:
        """End the loop and leave the block as it is. Safe from any thread and handler."""
        self._stopping = True
        self.wake()

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        self.stop()

    def run(self) -> None:
        """The daemon's process: SIGTERM and SIGINT stop it, blocker's extension is served."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        extension_server, self.engine.extension_problem = self.engine.layers.serve_extension()
        self.serve(extension_server)

    def serve(self, extension_server: ExtensionServer | None = None) -> None:
        """Watch, step and answer until stop(), on the calling thread, which then owns the
        engine (Python lets only the main thread set signal handlers, so run() does that
        apart; tests run this on a thread of their own). The extension's server, if any,
        is stopped with the loop."""
        paths = self.engine.paths
        policies = self.engine.layers.policy_paths()
        watcher = FileWatcher(
            (paths.hosts, paths.config, *policies),
            self.wake,
            paths.root,
            any_file_in=self.engine.layers.policy_folders(),
        )
        watcher.start()
        # Only the machine's own hosts file sends blocked names to this machine's loopback.
        attempts = SiteAttempts(
            self._site_asked, self.server.allowed_uids, () if not self.count_sites else SITE_PORTS
        )
        attempts.start()
        self.selector.register(self.server.listener, selectors.EVENT_READ, "listener")
        self.selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        self._hear_processes(listening=True)
        logger.info(
            "watching %s, %s and %d browser policy files; requests on %s; browsers %s",
            paths.config,
            paths.hosts,
            len(policies),
            self.server.path,
            self.engine.process_watch,
        )
        try:
            step_due = time.monotonic()
            while not self._stopping:
                try:
                    step_due = self._turn(watcher, step_due)
                except Exception:
                    # The last resort: a bug of ours in one turn must not end the block's
                    # keeper. The block stays as it is; the next turn tries everything again.
                    logger.exception("unexpected error in the daemon's loop; carrying on")
                    step_due = time.monotonic() + RETRY_AFTER_ERROR
                    self._woken = self._serve(RETRY_AFTER_ERROR)
        finally:
            watcher.stop()
            attempts.stop()
            if extension_server is not None:
                extension_server.stop()
            self.watchers.close()
            if not self.engine.uninstall_due:
                self.engine.save()
            self.server.shutdown()
            if not self.engine.uninstall_due:
                self.engine.log.close()
            if self._uninstalled:
                logger.info(
                    "uninstalled: the block is lifted and blocker's state is removed; "
                    "the block list stays at %s",
                    paths.config,
                )
            else:
                logger.info("stopped; the block stays as it is")

    def _turn(self, watcher: FileWatcher, step_due: float) -> float:
        """One pass of the loop: step when due, run the watchers, answer requests until
        the next thing is due. Returns when the next step is due."""
        self._woken |= watcher.changed()
        poll_due = time.monotonic() + watcher.poll_interval
        if time.monotonic() >= step_due or self._woken:
            step_due = time.monotonic() + self._step()
        if time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self._last_checkpoint = time.monotonic()
            self.engine.save()
        watch_due = self.watchers.run_due()
        self._hear_processes(self.watchers.look_due == float("inf"))
        self.watchers.count_site_attempts()
        self._publish_events()
        next_checkpoint = self._last_checkpoint + CHECKPOINT_SECONDS
        wake_at = min(step_due, next_checkpoint, watch_due, poll_due)
        self._woken = self._serve(wake_at - time.monotonic())
        return step_due

    def _publish_events(self) -> None:
        events = self.engine.drain_events()
        changed = any(e.name == EventName.POLICIES_CHANGED for e in events)
        # Firefox reads its policies only when it starts (never a sandbox's).
        firefox = "Firefox" in self.watchers.processes.running_browsers()
        if changed and firefox and self.engine.paths.root == Path("/"):
            self.engine.emit(
                EventName.RESTART_NEEDED,
                "restart Firefox so that it applies the change to the block",
                browser="Firefox",
            )
            events.extend(self.engine.drain_events())
        for event in events:
            try:
                self.engine.log.record_event(event)
            except sqlite3.Error as error:  # a full disk must not stop the block
                logger.warning("could not write the urge log: %s", error)
            self.server.broadcast(event.to_json())

    def _step(self) -> float:
        self.watchdog.alive()  # at least every LONGEST_SLEEP seconds: the unit's watchdog
        try:
            timeout = self.engine.step()
        except BlockerError as error:
            logger.error("%s", error)
            timeout = RETRY_AFTER_ERROR
        except Exception:
            logger.exception("unexpected error in a step; the block stays, retrying")
            timeout = RETRY_AFTER_ERROR
        self.requests.changed = False
        logger.debug("stepped; the next step is due in %.3f s", timeout)
        self._publish_events()
        if self.engine.uninstall_due:
            # The block was lifted in this step (uninstalling stops it); now the service.
            self.on_uninstall()
            self.engine.forget_state()
            self._leave_uninstalled_note()
            self._uninstalled = self._stopping = True
        return timeout

    def _leave_uninstalled_note(self) -> None:
        """For `blocker status` without a daemon; the uninstall is done even without it."""
        paths = self.engine.paths
        when = self.engine.trusted_now().astimezone(self.engine.zone)
        try:
            uninstalled.record(paths.uninstalled_marker, paths.config, when)
        except OSError as error:
            logger.warning("could not leave %s: %s", paths.uninstalled_marker, error)

    def _serve(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds and answer what arrives. Returns True, early, on a
        wake-up or after a request that changed something: the engine must step now."""
        deadline = time.monotonic() + timeout
        while not self._stopping and not self.requests.changed:
            remaining = min(deadline, self.watchers.look_due) - time.monotonic()
            if remaining <= 0:
                return False
            self._sync_registrations()
            for key, mask in self.selector.select(remaining):
                if key.data == "wake":
                    with contextlib.suppress(BlockingIOError):
                        os.read(self._wake_read, 4096)
                    return True
                if key.data == "processes":
                    # A program started: no step, just a look at it (and its urge).
                    self._hear_processes(self.watchers.programs_started())
                    self._publish_events()
                    continue
                self._ready(key, mask)
            self.server.sweep()
        return True

    def _hear_processes(self, listening: bool) -> None:
        """Wait on the process events' socket, or not while a look is put off."""
        events = self.watchers.exec_events
        if events is None or listening == self._hearing:
            return
        if listening:
            self.selector.register(events, selectors.EVENT_READ, "processes")
        else:
            self.selector.unregister(events)
        self._hearing = listening

    def _ready(self, key: selectors.SelectorKey, mask: int) -> None:
        if key.data == "listener":
            for connection in self.server.accept_waiting():
                self.selector.register(connection.sock, selectors.EVENT_READ, connection)
            return
        connection = key.data
        if mask & selectors.EVENT_READ:
            self.server.readable(connection)
        if mask & selectors.EVENT_WRITE and connection.sock.fileno() in self.server.connections:
            self.server.writable(connection)

    def _forget(self, connection: control.Connection) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(connection.sock)

    def _sync_registrations(self) -> None:
        """Read where the client may still send; watch writability only where output waits."""
        for key in list(self.selector.get_map().values()):
            connection = key.data
            if not isinstance(connection, control.Connection):
                continue
            # One answer at a time (server.py): a connection whose answer is not yet out
            # is not read, so what it sends meanwhile waits in the kernel, not here.
            reading = 0 if connection.closing or connection.outbox else selectors.EVENT_READ
            wanted = reading | (selectors.EVENT_WRITE if connection.outbox else 0)
            if not wanted:
                continue
            if key.events != wanted:
                self.selector.modify(connection.sock, wanted, connection)
