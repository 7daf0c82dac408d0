"""The template process, seen from the executor: start it, fork workers from it, hear of exits.

See ``_sandbox/_zygote.py`` for why workers are forked from a template. The template is started
with ``posix_spawn`` as ``python -I -S -B`` with a scrubbed environment, in a session of its own,
with /dev/null as stdin and stdout, the executor's stderr (it writes there only if it crashes)
and the control socket as descriptor 3. It dies with the executor, and its workers with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import os
import signal
import socket
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from teahouse.executors.python._errors import SandboxError
from teahouse.executors.python._fdio import wait_readable, wait_writable
from teahouse.executors.python._process import UNKNOWN_EXIT, ExitStatus, WorkerProcess
from teahouse.executors.python._sandbox._protocol import dump_json, load_json

SANDBOX_PACKAGE = Path(__file__).resolve().parent / "_sandbox"

# Loads the sandbox package from its directory without importing teahouse (and so asyncio).
LAUNCHER = """\
import importlib.util, json, sys
config = json.loads(sys.argv[1])
sys.path[:] = config["path"]
spec = importlib.util.spec_from_file_location(
    "teahouse_sandbox", config["package"] + "/__init__.py", submodule_search_locations=[config["package"]]
)
module = importlib.util.module_from_spec(spec)
sys.modules["teahouse_sandbox"] = module
spec.loader.exec_module(module)
from teahouse_sandbox._zygote import main
main(config)
"""

# The whole environment of the template and its workers: one BLAS thread (the template must
# stay single-threaded to fork safely) and few malloc arenas (a predictable address space).
WORKER_ENV = {
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}

_MAX_MESSAGE = 64 * 1024
_Pending = tuple["asyncio.Future[WorkerProcess]", tuple[int, int, int]]


def python_path() -> list[str]:
    """The executor's import path (absolute directories only), for the template's imports."""
    return [entry for entry in sys.path if os.path.isabs(entry) and os.path.isdir(entry)]


def _high_fd(fd: int) -> int:
    """Move ``fd`` to 10 or above, clear of the numbers the child's descriptors are dup'ed onto."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


def _close_all(fds: Iterable[int]) -> None:
    for fd in fds:
        os.close(fd)


class Template:
    """A running template process. Use :meth:`start`."""

    def __init__(self, pid: int, control: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        self.pid = pid
        self.ready: dict[str, Any] = {}
        self._control = control
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._workers: dict[int, WorkerProcess] = {}
        self._ready: asyncio.Future[None] = loop.create_future()
        self._exit: asyncio.Future[ExitStatus] = loop.create_future()
        self._pidfd = os.pidfd_open(pid)
        loop.add_reader(self._pidfd, self._on_exit)
        self._reader = asyncio.create_task(self._read_forever(), name=f"python-template-{pid}")

    @classmethod
    async def start(cls, python: str, preload: Iterable[str], timeout_s: float) -> Template:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        child_fd = _high_fd(theirs.detach())
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, child_fd, 3),
        ]
        config = {
            "parent": os.getpid(),
            "path": python_path(),
            "package": str(SANDBOX_PACKAGE),
            "preload": list(preload),
        }
        argv = [python, "-I", "-S", "-B", "-c", LAUNCHER, dump_json(config).decode()]
        try:
            pid = os.posix_spawn(python, argv, WORKER_ENV, file_actions=actions, setsid=True)
        except OSError as error:
            ours.close()
            raise SandboxError(f"cannot start the python template process: {error}") from None
        finally:
            os.close(child_fd)
        template = cls(pid, ours)
        try:
            async with asyncio.timeout(timeout_s):
                await template._ready
        except (TimeoutError, SandboxError) as error:
            await template.close()
            raise SandboxError(
                f"python template process failed to start ({error}); its stderr is the executor's"
            ) from None
        except BaseException:
            await template.close()
            raise
        return template

    @property
    def alive(self) -> bool:
        return not self._exit.done() and not self._reader.done()

    async def fork(self, config: dict[str, Any]) -> WorkerProcess:
        """Fork a worker (not yet sandboxed: wait for its HELLO)."""
        if not self.alive:
            raise SandboxError("python template process is not running")
        command_r, command_w = os.pipe2(os.O_CLOEXEC)
        result_r, result_w = os.pipe2(os.O_CLOEXEC)
        log_r, log_w = os.pipe2(os.O_CLOEXEC)
        request = next(self._ids)
        waiter: asyncio.Future[WorkerProcess] = asyncio.get_running_loop().create_future()
        self._pending[request] = (waiter, (command_w, result_r, log_r))
        try:
            await self._send({"fork": request, "config": config}, [command_r, result_w, log_w])
        except BaseException as error:
            # Not sent (cancelled while the socket was full, or the template is gone).
            self._pending.pop(request, None)
            _close_all((command_w, result_r, log_r))
            if isinstance(error, OSError):
                raise SandboxError(f"cannot reach the python template process: {error}") from None
            raise
        finally:
            _close_all((command_r, result_w, log_w))
        return await waiter

    async def close(self) -> None:
        """Kill the template (its workers die with it) and wait until it is reaped."""
        if not self._exit.done():
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        await asyncio.shield(self._exit)
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        self._control.close()

    async def _send(self, message: dict[str, Any], fds: list[int]) -> None:
        while True:
            try:
                socket.send_fds(self._control, [dump_json(message)], fds)
                return
            except BlockingIOError:
                await wait_writable(self._control.fileno())

    async def _read_forever(self) -> None:
        try:
            while True:
                try:
                    message, fds, _, _ = socket.recv_fds(self._control, _MAX_MESSAGE, 1)
                except BlockingIOError:
                    await wait_readable(self._control.fileno())
                    continue
                if not message:
                    return
                self._dispatch(load_json(message), fds)
        finally:
            self._gone()

    def _dispatch(self, message: dict[str, Any], fds: list[int]) -> None:
        if "forked" in message:
            waiter, (commands, results, log) = self._pending.pop(message["forked"])
            worker = WorkerProcess(message["pid"], fds[0], commands, results, log)
            self._workers[worker.pid] = worker
            if waiter.done():  # the caller gave up meanwhile
                worker.kill()
                worker.close()
            else:
                waiter.set_result(worker)
        elif "exited" in message:
            _close_all(fds)
            exited = self._workers.pop(message["exited"], None)
            if exited is not None:
                exited.exited(ExitStatus(message["code"], message["signal"], float(message["cpu_s"])))
        elif "failed" in message:
            _close_all(fds)
            waiter, pipes = self._pending.pop(message["failed"])
            _close_all(pipes)
            if not waiter.done():
                waiter.set_exception(SandboxError(f"python template could not fork: {message['error']}"))
        elif "ready" in message:
            self.ready = message["ready"]
            if not self._ready.done():
                self._ready.set_result(None)

    def _gone(self) -> None:
        """The template is gone: its workers died with it (parent-death signal)."""
        for waiter, pipes in self._pending.values():
            _close_all(pipes)
            if not waiter.done():
                waiter.set_exception(SandboxError("python template process died"))
        self._pending.clear()
        for worker in self._workers.values():
            worker.exited(UNKNOWN_EXIT)
        self._workers.clear()
        if not self._ready.done():
            self._ready.set_exception(SandboxError("python template process exited before it was ready"))

    def _on_exit(self) -> None:
        try:
            pid, status, _ = os.wait4(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid, status = self.pid, -1
        if pid == 0:
            return
        asyncio.get_running_loop().remove_reader(self._pidfd)
        os.close(self._pidfd)
        signalled = status != -1 and os.WIFSIGNALED(status)
        code = os.waitstatus_to_exitcode(status) if status != -1 and not signalled else None
        self._exit.set_result(ExitStatus(code, os.WTERMSIG(status) if signalled else None, 0.0))
