"""The template process: imports once, then forks one worker per request of the executor.

Starting a fresh interpreter and importing numpy costs a few hundred milliseconds; forking a
process that has already done so costs about a millisecond. The template is started by the
executor as a fresh ``python -I -S`` (never a fork of the executor, so it holds none of the
executor's memory), imports the modules functions may use and then only forks. It is
single-threaded, so forking it is safe, and it runs no task code: each child turns itself into
a sandboxed worker (``_boot.become_worker``) before it says HELLO.

Control messages travel over a SOCK_SEQPACKET socket on descriptor 3, one JSON message per
packet: ``{"fork": id, "config": {...}}`` with the worker's three pipe ends attached from the
executor; ``{"ready": {...}}``, ``{"forked": id, "pid": n}`` with a pidfd of the new worker
attached, and ``{"exited": pid, ...}`` with its exit status and CPU time back.
"""

from __future__ import annotations

import fcntl
import os
import resource
import select
import signal
import socket
import traceback
from typing import Any

from . import _boot, _identity, _libc
from ._protocol import dump_json, load_json

CONTROL_FD = 3
_MAX_MESSAGE = 64 * 1024


def main(config: dict[str, Any]) -> None:
    os.closerange(CONTROL_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _identity.die_with_parent(config["parent"])
    # Orphans (the inside of a PID namespace whose reaper was killed) come back to us to be reaped.
    _libc.prctl(_libc.PR_SET_CHILD_SUBREAPER, 1)
    unavailable = _boot.preload(config["preload"])
    control = socket.socket(fileno=CONTROL_FD)
    devnull = _high(os.open("/dev/null", os.O_RDONLY))
    root = _identity.empty_root()
    root = None if root is None else _high(root)
    wake_r, wake_w = (_high(fd) for fd in os.pipe())
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, _wake_only)
    signal.set_wakeup_fd(wake_w)
    _send(control, {"ready": {"unavailable_modules": unavailable, "threads": _threads()}})
    poller = select.poll()
    poller.register(CONTROL_FD, select.POLLIN)
    poller.register(wake_r, select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == wake_r:
                while _drain(wake_r):
                    pass
                _reap(control)
                continue
            message, fds, _, _ = socket.recv_fds(control, _MAX_MESSAGE, 3)
            if not message:
                os._exit(0)  # the executor closed its end: its workers die with us (PDEATHSIG)
            _fork(control, load_json(message), fds, devnull, root)


def _fork(
    control: socket.socket, request: dict[str, Any], fds: list[int], devnull: int, root: int | None
) -> None:
    if len(fds) != 3:
        for fd in fds:
            os.close(fd)
        _send(control, {"failed": request.get("fork"), "error": "expected three descriptors"})
        return
    pid = os.fork()
    if pid == 0:
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.detach()  # fd 3 is about to become the command pipe: no object may close it
            _boot.become_worker(request["config"], fds, devnull, root)
        except BaseException:  # noqa: BLE001 - a worker that cannot start says why, then ends
            traceback.print_exc()
        finally:
            os._exit(70)
    pidfd = os.pidfd_open(pid)
    for fd in fds:
        os.close(fd)
    try:
        socket.send_fds(control, [dump_json({"forked": request["fork"], "pid": pid})], [pidfd])
    finally:
        os.close(pidfd)


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        signalled = os.WIFSIGNALED(status)
        _send(
            control,
            {
                "exited": pid,
                "code": None if signalled else os.waitstatus_to_exitcode(status),
                "signal": os.WTERMSIG(status) if signalled else None,
                "cpu_s": usage.ru_utime + usage.ru_stime,
            },
        )


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.sendall(dump_json(message))


def _wake_only(signum: int, frame: object) -> None:
    """A Python-level handler, so that SIGCHLD reaches the wakeup descriptor."""


def _drain(fd: int) -> bool:
    try:
        return bool(os.read(fd, 512))
    except BlockingIOError:
        return False


def _high(fd: int) -> int:
    """Move a descriptor out of the way of the numbers 0-4 that workers use."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


def _threads() -> int:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"Threads:"):
                return int(line.split()[1])
    return 0
