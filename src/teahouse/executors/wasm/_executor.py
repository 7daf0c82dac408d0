"""The ``wamr`` executor: runs each WebAssembly task on its own thread, stoppable at once."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

from teahouse.errors import InvalidArgument
from teahouse.executors._base import FunctionFailed, Invocation, InvocationResult, Limits
from teahouse.executors.wasm._cache import ModuleCache
from teahouse.executors.wasm._control import RunControl
from teahouse.executors.wasm._instance import run_module

_Done = asyncio.Future[InvocationResult]


def time_limit(limits: Limits) -> float | None:
    """The run's deadline in seconds: a single-threaded instance uses at most its wall time in
    CPU time, so both limits are enforced as one wall-clock deadline (the smaller)."""
    given = [limit for limit in (limits.wall_time_s, limits.cpu_time_s) if limit is not None]
    return min(given) if given else None


class WasmExecutor:
    """Executor type ``wamr``: Teaclave's WebAssembly functions on wasmtime.

    ``run`` compiles the payload (once per digest, see :class:`ModuleCache`) and runs it on
    a worker thread with a private engine; at most ``max_concurrent_runs`` run at once, the
    others wait (their time limit starts when they start). Cancelling ``run`` interrupts the
    instance and waits for its thread to finish, so nothing is written to the task's files
    after ``run`` has ended. ``scratch_dir`` is where WASI runs get their private directory
    (default: next to the task's files).
    """

    executor_type: ClassVar[str] = "wamr"

    def __init__(
        self,
        *,
        cache: ModuleCache | None = None,
        scratch_dir: Path | None = None,
        max_concurrent_runs: int = 32,
    ) -> None:
        self.cache = cache if cache is not None else ModuleCache()
        self._scratch_dir = scratch_dir
        self._pool = ThreadPoolExecutor(max_concurrent_runs, thread_name_prefix="wasm-run")
        self._active: dict[RunControl, _Done] = {}
        self._closed = False

    @property
    def active_runs(self) -> int:
        """Runs that have been started and have not ended."""
        return len(self._active)

    @property
    def running_instances(self) -> int:
        """Runs that are executing WebAssembly right now (not compiling, not finishing)."""
        return sum(1 for control in self._active if control.running)

    async def run(self, invocation: Invocation) -> InvocationResult:
        if self._closed:
            raise RuntimeError("executor is closed")
        loop = asyncio.get_running_loop()
        done: _Done = loop.create_future()
        control = RunControl(time_limit(invocation.limits))
        self._active[control] = done
        try:
            self._pool.submit(self._work, invocation, control, loop, done)
            try:
                return await asyncio.shield(done)
            except asyncio.CancelledError:
                await _stop(control, done, "cancelled")
                raise
        finally:
            self._active.pop(control, None)

    async def close(self) -> None:
        """Stop every running instance and wait until each has left WebAssembly."""
        self._closed = True
        stops = [_stop(control, done, "executor closed") for control, done in self._active.items()]
        await asyncio.gather(*stops)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _work(
        self, invocation: Invocation, control: RunControl, loop: asyncio.AbstractEventLoop, done: _Done
    ) -> None:
        result: InvocationResult | None = None
        error: BaseException | None = None
        try:
            if control.reason is not None:  # stopped while waiting for a thread
                raise FunctionFailed(control.reason)
            compiled = self.cache.get(invocation.payload)
            result = run_module(invocation, compiled, control, scratch_dir=self._scratch_dir)
        except InvalidArgument as err:
            error = FunctionFailed(err.message)
        except Exception as err:  # noqa: BLE001 - re-raised by run(): FunctionFailed or a platform bug
            error = err
        with contextlib.suppress(RuntimeError):  # the loop is gone; nobody is waiting
            loop.call_soon_threadsafe(_resolve, done, result, error)


def _resolve(done: _Done, result: InvocationResult | None, error: BaseException | None) -> None:
    if done.done():
        return
    if error is not None:
        done.set_exception(error)
    elif result is not None:
        done.set_result(result)


async def _stop(control: RunControl, done: _Done, reason: str) -> None:
    """Stop a run and, once it has started, wait for its thread to finish.

    A run still queued or compiling cannot be interrupted, but it will not start either, so
    it is abandoned rather than waited for: it ends at once with ``FunctionFailed(reason)``.
    """
    if not control.stop(reason):
        if not done.done():
            done.set_exception(FunctionFailed(reason))
        done.exception()
        return
    while not done.done():
        try:
            await asyncio.wait([done])
        except asyncio.CancelledError:  # keep waiting: the caller's cancel is re-raised after
            continue
    if not done.cancelled():
        done.exception()  # retrieved: the outcome of a stopped run is not interesting
