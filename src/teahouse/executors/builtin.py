"""The ``builtin`` executor: Teaclave's builtin functions, each run in a killable worker process.

Every run gets a fresh worker from a small warm pool of ``forkserver`` processes (the function
library and numpy imported ahead of time); a worker runs one task and exits, and the pool starts
a replacement in the background. Cancelling :meth:`BuiltinExecutor.run` kills the worker with
SIGKILL at once; the event loop never runs function code, so the node keeps serving.

Limits (``Invocation.limits``): wall time by the parent (kill on expiry), CPU time, address
space and open files by rlimits in the worker, output size by the function runtime. Each
failure reason names the limit.

Isolation choices considered: threads cannot be killed and share the node's memory (rejected);
``fork`` from the node would copy its keys into every worker (rejected); ``spawn`` is clean but
re-imports everything per worker (≈4x slower to warm); ``forkserver`` forks from a clean server
process. Running echo inline would save about one pipe round trip (well under a millisecond
with a warm worker), too little to justify a second code path, so every builtin runs in a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.forkserver
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import ClassVar

from teahouse.executors._base import FunctionFailed, Invocation, InvocationResult, Limits
from teahouse.executors._builtin_worker import Job, worker_main
from teahouse.functions import BUILTINS, NOT_FOUND

_WARM_UP_TIMEOUT_S = 60.0


class _Worker:
    """One warm worker process and the parent's end of its pipe (blocks until it is warm)."""

    def __init__(self, context: multiprocessing.context.ForkServerContext) -> None:
        parent_end, child_end = context.Pipe(duplex=True)
        self.connection: Connection = parent_end
        self.process: BaseProcess = context.Process(target=worker_main, args=(child_end,), daemon=True)
        self.process.start()
        child_end.close()
        # A worker that fails to warm up is noticed when its job gets no answer.
        with contextlib.suppress(EOFError, OSError):
            if self.connection.poll(_WARM_UP_TIMEOUT_S):
                self.connection.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()


def _exit_reason(worker: _Worker, limits: Limits, function: str) -> str:
    """Why a worker died without answering."""
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and limits.cpu_time_s is not None):
        return f"cpu time limit of {limits.cpu_time_s} s exceeded"
    if code is not None and code < 0:
        return f"{function}: worker process killed by signal {signal.Signals(-code).name}"
    return f"{function}: worker process exited with code {code} before answering"


_PRELOAD = "teahouse.executors._builtin_preload"


def _add_forkserver_preload(module: str) -> None:
    """Ask the (process-wide) forkserver to import ``module`` when it starts.

    Adds to the modules already requested rather than replacing them, so other executors that
    use the forkserver keep theirs. If the forkserver is already running the request has no
    effect and workers warm up themselves, a few hundred milliseconds later.
    """
    server = multiprocessing.forkserver._forkserver  # type: ignore[attr-defined]
    current: list[str] = list(getattr(server, "_preload_modules", ["__main__"]))
    if module not in current:
        multiprocessing.forkserver.set_forkserver_preload([*current, module])


class BuiltinExecutor:
    """Runs builtin functions in killable worker processes (see the module docstring)."""

    executor_type: ClassVar[str] = "builtin"

    def __init__(self, *, warm_workers: int = 1) -> None:
        self._context = multiprocessing.get_context("forkserver")
        _add_forkserver_preload(_PRELOAD)
        self._warm_target = warm_workers
        self._warm: list[_Worker] = []
        self._dying: list[_Worker] = []
        self._refills: set[asyncio.Task[None]] = set()
        self._available = asyncio.Event()
        self._closed = False

    async def start(self) -> None:
        """Start the warm workers now rather than on the first run."""
        await self._refill()

    async def _refill(self) -> None:
        while not self._closed and len(self._warm) < self._warm_target:
            worker = await asyncio.to_thread(_Worker, self._context)
            if self._closed:
                worker.kill()
                return
            self._warm.append(worker)
            self._available.set()

    def _schedule_refill(self) -> None:
        task = asyncio.get_running_loop().create_task(self._refill())
        self._refills.add(task)
        task.add_done_callback(self._refills.discard)

    async def _take(self) -> _Worker:
        self._reap()
        if not self._warm and self._refills:
            # A replacement is already warming up: waiting for it beats starting another.
            self._available.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(_WARM_UP_TIMEOUT_S):
                    await self._available.wait()
        while self._warm:
            worker = self._warm.pop(0)
            if worker.process.is_alive():
                self._schedule_refill()
                return worker
            worker.kill()
        worker = await asyncio.to_thread(_Worker, self._context)
        self._schedule_refill()
        return worker

    def _reap(self) -> None:
        """Collect the workers that were killed or finished (non-blocking)."""
        for worker in list(self._dying):
            worker.process.join(timeout=0)
            if worker.process.exitcode is not None:
                self._dying.remove(worker)

    async def run(self, invocation: Invocation) -> InvocationResult:
        if self._closed:
            raise RuntimeError("the builtin executor is closed")
        name = invocation.function_name
        if name not in BUILTINS:
            raise FunctionFailed(f"{NOT_FOUND} (no builtin named {name!r})")
        limits = invocation.limits
        job = Job(
            function_name=name,
            arguments=dict(invocation.arguments),
            inputs=dict(invocation.inputs),
            outputs=dict(invocation.outputs),
            limits=limits,
            save_log=invocation.save_log,
        )
        worker = await self._take()
        try:
            async with asyncio.timeout(limits.wall_time_s):
                worker.connection.send(job)
                answer = await self._receive(worker.connection)
        except TimeoutError:
            raise FunctionFailed(f"wall time limit of {limits.wall_time_s} s exceeded") from None
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            reason = await asyncio.to_thread(_exit_reason, worker, limits, name)
            raise FunctionFailed(reason) from None
        finally:
            worker.kill()
            self._dying.append(worker)
        status, text, log = answer
        if status != "ok":
            raise FunctionFailed(text, log)
        return InvocationResult(return_value=text.encode(), log=log)

    @staticmethod
    async def _receive(connection: Connection) -> tuple[str, str, list[str]]:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(connection.fileno(), wake)
        try:
            await readable
        finally:
            loop.remove_reader(connection.fileno())
        answer: tuple[str, str, list[str]] = connection.recv()
        return answer

    async def close(self) -> None:
        """Stop the refills, kill the warm workers and wait for every worker to be gone."""
        self._closed = True
        for task in list(self._refills):
            task.cancel()
        for task in list(self._refills):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for worker in self._warm:
            worker.kill()
            self._dying.append(worker)
        self._warm.clear()
        for worker in self._dying:
            await asyncio.to_thread(worker.process.join, 5)
        self._dying.clear()
