"""Hear of each program the moment it starts, from Linux's process events connector
(netlink, CN_IDX_PROC), instead of listing the processes every few seconds.

Scanning every 2 s woke an idle daemon 30 times a minute, most of its wake-ups. The
kernel instead sends one message per `exec`, and since Linux 6.6 a listener can ask for
exec events only (no forks, exits, uid changes), so the daemon wakes when a program
starts and never otherwise.

It needs CAP_NET_ADMIN in the first user namespace and the first PID namespace: the
daemon runs as root, but in a container the kernel ignores the request without an
error, or sends process ids of another namespace. So `open_exec_events()` proves it
works by starting a tiny program and waiting for its own process id; where that fails
the caller goes back to scanning, and says so.
"""

from __future__ import annotations

import errno
import logging
import select
import shutil
import socket
import struct
import subprocess
import sys
import time

logger = logging.getLogger(__name__)

NETLINK_CONNECTOR = 11
CN_IDX_PROC = 1
CN_VAL_PROC = 1
NLMSG_DONE = 3
PROC_CN_MCAST_LISTEN = 1
PROC_CN_MCAST_IGNORE = 2
PROC_EVENT_EXEC = 0x00000002

_NLMSGHDR = struct.Struct("=IHHII")  # length, type, flags, sequence, port id
_CN_MSG = struct.Struct("=IIIIHH")  # index, value, sequence, ack, payload length, flags
_EVENT_HEAD = struct.Struct("=IIQ")  # what, cpu, timestamp (ns)
_EXEC = struct.Struct("=ii")  # thread id, process id (the thread group's)
_EVENT_AT = _NLMSGHDR.size + _CN_MSG.size
RECEIVE_BUFFER = 1 << 20  # a second of a build's starts fits before the kernel drops any
SO_RCVBUFFORCE = 33  # Linux's, which Python's socket module does not name
PROBE_SECONDS = 0.5  # the event comes within microseconds; a container sends none


def control_message(operation: int, only_exec: bool) -> bytes:
    """The request to start or stop listening: with an event filter (Linux 6.6 and
    later), or in the older form that older kernels accept (every event)."""
    payload = struct.pack("=II", operation, PROC_EVENT_EXEC if only_exec else 0)
    if not only_exec:
        payload = payload[:4]
    body = _CN_MSG.pack(CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(payload), 0) + payload
    return _NLMSGHDR.pack(_NLMSGHDR.size + len(body), NLMSG_DONE, 0, 0, 0) + body


def exec_event(process_id: int, thread_id: int | None = None) -> bytes:
    """A datagram as the kernel sends it for one exec (for tests of `started_process`)."""
    event = _EVENT_HEAD.pack(PROC_EVENT_EXEC, 0, 0) + _EXEC.pack(
        thread_id or process_id, process_id
    )
    body = _CN_MSG.pack(CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(event), 0) + event
    return _NLMSGHDR.pack(_NLMSGHDR.size + len(body), NLMSG_DONE, 0, 0, 0) + body


def started_process(datagram: bytes) -> int | None:
    """The process id that ran a new program, or None for any other message (an older
    kernel sends forks, exits and the rest too)."""
    if len(datagram) < _EVENT_AT + _EVENT_HEAD.size + _EXEC.size:
        return None
    index, _value, *_ = _CN_MSG.unpack_from(datagram, _NLMSGHDR.size)
    what, _cpu, _when = _EVENT_HEAD.unpack_from(datagram, _EVENT_AT)
    if index != CN_IDX_PROC or what != PROC_EVENT_EXEC:
        return None
    _thread, process = _EXEC.unpack_from(datagram, _EVENT_AT + _EVENT_HEAD.size)
    return int(process)


class ExecEvents:
    """A subscribed netlink socket. `fileno()` goes into the owner's selector; `read()`
    takes what arrived without blocking. One thread; `close()` is idempotent."""

    def __init__(self, sock: socket.socket, only_exec: bool) -> None:
        self.sock = sock
        self.only_exec = only_exec

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> tuple[list[int], bool]:
        """The processes that started programs since the last call, and whether the
        kernel dropped some (a full buffer): then the owner must look at them all."""
        started: list[int] = []
        lost = False
        while True:
            try:
                datagram = self.sock.recv(4096)
            except BlockingIOError:
                return started, lost
            except OSError as error:
                if error.errno != errno.ENOBUFS:
                    raise
                lost = True
                continue
            process = started_process(datagram)
            if process is not None:
                started.append(process)

    def close(self) -> None:
        if self.sock.fileno() < 0:
            return
        try:
            self.sock.send(control_message(PROC_CN_MCAST_IGNORE, self.only_exec))
        except OSError as error:
            logger.debug("could not unsubscribe from process events: %s", error)
        self.sock.close()


def _probe_heard(events: ExecEvents, timeout: float) -> bool:
    """Start a tiny program and wait for the kernel to name it, by our process id."""
    program = shutil.which("true") or sys.executable
    child = subprocess.Popen([program], stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([events.sock], [], [], remaining)[0]:
                return False
            started, _lost = events.read()
            if child.pid in started:
                return True
        return False
    finally:
        child.wait()


def _grow_buffer(sock: socket.socket) -> None:
    """Root may pass the system's limit (net.core.rmem_max): events wait here while the
    owner puts off its look."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)


def open_exec_events(timeout: float = PROBE_SECONDS) -> ExecEvents | None:
    """Process start events that were seen to work here, or None (not Linux, not root,
    a container, a kernel without the connector). Blocks up to twice `timeout`."""
    if not sys.platform.startswith("linux"):
        return None
    for only_exec in (True, False):
        try:
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
        except OSError as error:
            logger.info("no process events here (%s)", error)
            return None
        events = ExecEvents(sock, only_exec)
        try:
            _grow_buffer(sock)
            sock.bind((0, CN_IDX_PROC))
            sock.setblocking(False)
            sock.send(control_message(PROC_CN_MCAST_LISTEN, only_exec))
            if _probe_heard(events, timeout):
                return events
        except OSError as error:
            logger.info("no process events here (%s)", error)
        events.close()
    logger.info("the kernel sent no process events for a program we started (a container?)")
    return None
