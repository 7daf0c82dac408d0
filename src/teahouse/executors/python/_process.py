"""One worker process, seen from the executor: its pipes, its pidfd and how it ended.

Workers are children of the template process (``_template``), which reports their exit; the
executor holds a pidfd of each, so that killing one can never hit a recycled pid.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import dataclass
from typing import Any

from teahouse.executors.python._fdio import PipeReader, PipeWriter
from teahouse.executors.python._sandbox import _protocol
from teahouse.executors.python._sandbox._protocol import Kind

_LOG_TAIL = 8192


@dataclass(frozen=True)
class ExitStatus:
    """How a worker ended: its exit code or the signal that killed it, and its CPU time."""

    code: int | None
    signal: int | None
    cpu_s: float


UNKNOWN_EXIT = ExitStatus(code=None, signal=None, cpu_s=0.0)


class WorkerProcess:
    """A forked worker; ready for a task once :meth:`read_hello` has returned."""

    def __init__(self, pid: int, pidfd: int, commands: int, results: int, log: int) -> None:
        self.pid = pid
        self.commands = PipeWriter(commands)
        self.results = PipeReader(results)
        self.log = PipeReader(log)
        self.hello: dict[str, Any] = {}
        self._pidfd = pidfd
        self._exit: asyncio.Future[ExitStatus] = asyncio.get_running_loop().create_future()

    async def read_hello(self) -> None:
        """Wait for the worker to report that it is sandboxed."""
        kind, length = _protocol.decode_header(await self.results.read_exactly(_protocol.HEADER.size))
        if kind != Kind.HELLO or length > _protocol.MAX_CONTROL:
            raise ValueError(f"unexpected first frame {kind}")
        hello = _protocol.load_json(await self.results.read_exactly(length))
        if not isinstance(hello, dict):
            raise ValueError("malformed HELLO")
        self.hello = hello

    async def send(self, kind: Kind, body: bytes = b"") -> None:
        await self.commands.write(_protocol.encode_header(kind, len(body)) + body)

    @property
    def alive(self) -> bool:
        return not self._exit.done()

    def kill(self) -> None:
        """SIGKILL the worker at once. Idempotent.

        With a PID namespace the process signalled is the reaper outside it, and the worker
        inside follows through its parent-death signal.
        """
        if self._exit.done():
            return
        with contextlib.suppress(ProcessLookupError):  # already dead, not yet reported
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def exited(self, status: ExitStatus) -> None:
        """Called by the template when the worker has been reaped."""
        if not self._exit.done():
            self._exit.set_result(status)
            os.close(self._pidfd)

    async def wait(self) -> ExitStatus:
        return await asyncio.shield(self._exit)

    async def read_log_tail(self) -> str:
        """After the worker ended: the end of what it wrote to stdout and stderr."""
        data = bytearray()
        while chunk := await self.log.read_some():
            data += chunk
            del data[:-_LOG_TAIL]
        return data.decode("utf-8", "replace").strip()

    def close(self) -> None:
        """Release the pipes (the process itself goes through :meth:`kill`)."""
        self.commands.close()
        self.results.close()
        self.log.close()
