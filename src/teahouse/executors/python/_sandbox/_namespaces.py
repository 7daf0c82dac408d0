"""New Linux namespaces for the worker, as many as the kernel and our privileges allow."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Sequence

from . import _libc

FLAGS = {
    "net": _libc.CLONE_NEWNET,
    "mount": _libc.CLONE_NEWNS,
    "ipc": _libc.CLONE_NEWIPC,
    "uts": _libc.CLONE_NEWUTS,
    "pid": _libc.CLONE_NEWPID,
}


def enter(wanted: Sequence[str]) -> tuple[list[str], list[str]]:
    """Unshare the ``wanted`` namespaces; return (entered, unavailable).

    Entering a PID namespace only applies to children, so the process then forks: the child
    returns from here as pid 1 of the new namespace, and the original process stays behind,
    outside it, as a reaper that mirrors the child's exit status and never returns.
    """
    entered: list[str] = []
    try:
        _libc.unshare(sum(FLAGS[name] for name in wanted))
        entered = list(wanted)
    except OSError:
        for name in wanted:
            try:
                _libc.unshare(FLAGS[name])
            except OSError:
                continue
            entered.append(name)
    if "uts" in entered:
        _libc.sethostname("sandbox")
    if "pid" in entered:
        child = os.fork()
        if child != 0:
            _mirror(child)
        _libc.prctl(_libc.PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the reaper from now on
    return entered, [name for name in wanted if name not in entered]


def _mirror(child: int) -> None:
    """Wait for ``child`` and end the same way, holding none of the task's pipes meanwhile."""
    os.closerange(0, 5)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with contextlib.suppress(OSError, ValueError):  # SIGKILL cannot be changed, nor need be
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
        os._exit(128 + number)
    os._exit(os.waitstatus_to_exitcode(status))
