"""The worker's trusted bootstrap: turn a fresh fork of the template into a sandbox, then serve
exactly one task.

Order matters. Descriptors first (only the five pipes stay), then namespaces (entering a PID
namespace forks once more), then everything that needs the file system (the size of the
address space), the fixed rlimits, chroot and the drop to an unprivileged uid, and the seccomp
filter last. Only then does the worker say HELLO; the task's code arrives after that and finds
no file it can open, no process it can create and no syscall outside the allow-list.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import io
import os
import resource
import sys
from typing import Any

from . import _guard, _identity, _limits, _namespaces, _numpypy, _run, _seccomp, _teaclave
from ._channel import Channel, ChannelClosed
from ._protocol import Kind, dump_json, load_json

COMMAND_FD = 3
RESULT_FD = 4


def preload(names: list[str]) -> list[str]:
    """Import what functions may use (the filter forbids opening module files later).

    Runs once, in the template; returns the names that could not be imported.
    """
    unavailable: list[str] = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            unavailable.append(name)
    if "numpy" in sys.modules:
        _numpypy.install()
    _line_buffered_stdio()
    return unavailable


def become_worker(config: dict[str, Any], fds: list[int], devnull: int, root: int | None) -> None:
    """Run in a fresh child of the template; never returns."""
    template = os.getppid()
    _identity.die_with_parent(template)
    os.setsid()
    if root is not None:
        os.fchdir(root)  # the empty root to be, before its descriptor is closed
    _install_descriptors(fds, devnull)
    _reseed()
    namespaces, missing = _namespaces.enter(config["namespaces"])
    channel = Channel(COMMAND_FD, RESULT_FD)
    _teaclave.install(channel)
    baseline = _limits.address_space_in_use()
    rules = _seccomp.build(os.getpid())
    missing += _identity.confine(config["uid"], config["gid"], chroot=root is not None)
    # RLIMIT_NPROC counts every process of the uid: only a uid of our own makes it a thread cap.
    _limits.fixed(config["open_files"], None if "uid" in missing else config["threads"])
    _guard.install()
    rules.load()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    hello = {
        "namespaces": namespaces,
        "missing": missing,
        "uid": os.getuid(),
        "baseline_bytes": baseline,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }
    channel.send(Kind.HELLO, dump_json(hello))
    try:
        task = load_json(_expect(channel, Kind.TASK))
        payload = _expect(channel, Kind.PAYLOAD)
    except ChannelClosed:
        os._exit(0)  # the executor let this worker go unused
    _limits.for_task(task["limits"]["cpu_time_s"], task["limits"]["memory_bytes"], baseline)
    _run.run(channel, payload, task["argv"])
    os._exit(0)


def _install_descriptors(fds: list[int], devnull: int) -> None:
    """Keep exactly: 0 /dev/null, 1 and 2 the log pipe, 3 commands, 4 results."""
    command, result, log = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds)
    for target, source in ((0, devnull), (1, log), (2, log), (COMMAND_FD, command), (RESULT_FD, result)):
        os.dup2(source, target)
    os.closerange(RESULT_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _reseed() -> None:
    """Give this worker its own random state (``random`` reseeds itself after fork)."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def _expect(channel: Channel, kind: Kind) -> bytes:
    received, body = channel.receive()
    if received != kind:
        raise RuntimeError(f"expected frame {kind.name}, got {received}")
    return body


def _line_buffered_stdio() -> None:
    """Send the function's prints to the log pipe as they happen, not when it ends."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(line_buffering=True)
