"""One execution node's loop: wait for a task, run it, watch for a cancel, report, repeat.

The node holds one long poll (``Watch``) open on the scheduler at all times: while idle it
returns the next task the moment one is staged; while a task runs it returns Stop the moment the
task is canceled, and the node then cancels that run only (the executor kills the function) and
goes on serving. A node does one task at a time. When the scheduler cannot be reached the node
keeps its task running and retries, so a scheduler restart costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol

import structlog

from teahouse.errors import TeahouseError
from teahouse.model import (
    CorruptRecord,
    ExecutorCommand,
    ExecutorStatus,
    StagedTask,
    TaskFailure,
    TaskOutputs,
    TaskResult,
)
from teahouse.services.execution._protocol import SchedulerLink, transient

log = logging.getLogger(__name__)

INTERNAL_FAILURE = "Runtime Error: the execution node failed while running the task"


class Runner(Protocol):
    async def run(self, staged: StagedTask) -> TaskOutputs | TaskFailure: ...


class ExecutionNode:
    def __init__(
        self,
        link: SchedulerLink,
        runner: Runner,
        *,
        name: str = "execution",
        executor_id: str | None = None,
        watch_timeout: float = 10.0,
        retry_delay: float = 0.5,
        max_retry_delay: float = 5.0,
        stop_wait: float = 2.0,
        watch_delay: float = 0.05,
    ) -> None:
        self.name = name
        self.executor_id = executor_id or str(uuid.uuid4())
        self._link = link
        self._runner = runner
        self._watch_timeout = watch_timeout
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._stop_wait = stop_wait
        self._watch_delay = watch_delay
        self.tasks_run = 0
        self.current_task: str | None = None

    async def serve(self) -> None:
        """Take and run tasks until cancelled."""
        log.info("execution node %s serving as executor %s", self.name, self.executor_id)
        failures = 0
        while True:
            try:
                command, staged = await self._link.watch(
                    self.executor_id, ExecutorStatus.Idle, "", self._watch_timeout
                )
            except Exception as exc:  # noqa: BLE001 - the scheduler may be restarting; keep trying
                failures += 1
                await self._pause("waiting for a task", exc, failures)
                continue
            failures = 0
            if command is ExecutorCommand.NewTask:
                await self._execute(staged)

    async def _pause(self, what: str, exc: BaseException, failures: int) -> None:
        delay = min(self._max_retry_delay, self._retry_delay * 2 ** min(failures - 1, 10))
        level = logging.INFO if failures == 1 else logging.DEBUG
        log.log(level, "%s: scheduler unavailable (%s); retrying in %.1f s", what, exc, delay)
        await asyncio.sleep(delay)

    async def _execute(self, data: bytes) -> None:
        try:
            # A large payload takes a while to decode: not on the loop that answers the scheduler.
            staged = (
                await asyncio.to_thread(StagedTask.from_bytes, data)
                if len(data) > 1 << 16
                else StagedTask.from_bytes(data)
            )
        except CorruptRecord as exc:
            log.error("received a task that does not decode: %s", exc)
            return
        task_id = str(staged.task_id)
        with structlog.contextvars.bound_contextvars(task_id=task_id):
            self.current_task = task_id
            try:
                await self._execute_staged(staged, task_id)
            finally:
                self.current_task = None

    async def _execute_staged(self, staged: StagedTask, task_id: str) -> None:
        if await self._retrying(f"starting task {task_id}", lambda: self._link.update_status(task_id)):
            return  # refused: canceled or taken over meanwhile
        log.info("running task %s on %s", task_id, self.name)
        run = asyncio.create_task(self._run(staged), name=f"task-{task_id}")
        watching = asyncio.Event()
        stop = asyncio.create_task(self._until_stopped(task_id, watching), name=f"watch-{task_id}")
        try:
            await asyncio.wait({run, stop}, return_when=asyncio.FIRST_COMPLETED)
            if run.done():
                # Report while the watch stays open (the node stays visibly alive); the scheduler
                # then ends the watch itself. Cutting it off would look like a lost connection.
                await self._report(task_id, run.result())
                if watching.is_set():
                    await asyncio.wait({stop}, timeout=self._stop_wait)
            else:
                log.info("task %s stopped: the scheduler said Stop (canceled, or ended elsewhere)", task_id)
        finally:
            for child in (run, stop):
                child.cancel()
            for child in (run, stop):
                with contextlib.suppress(asyncio.CancelledError):
                    await child
        self.tasks_run += 1

    async def _run(self, staged: StagedTask) -> TaskResult:
        try:
            return await self._runner.run(staged)
        except Exception:  # reported as the task's failure, not a stuck node
            log.exception("task %s: unexpected error", staged.task_id)
            return TaskFailure(INTERNAL_FAILURE)

    async def _until_stopped(self, task_id: str, watching: asyncio.Event) -> None:
        """Watch the running task until the scheduler says Stop. Short runs (most builtins) end
        before the watch would open, which saves them two calls; a cancel of a run waits at most
        ``watch_delay`` longer."""
        await asyncio.sleep(self._watch_delay)
        watching.set()
        failures = 0
        while True:
            try:
                command, _ = await self._link.watch(
                    self.executor_id, ExecutorStatus.Executing, task_id, self._watch_timeout
                )
            except Exception as exc:  # noqa: BLE001 - keep the task running; retry
                failures += 1
                await self._pause(f"watching task {task_id}", exc, failures)
                continue
            failures = 0
            if command is ExecutorCommand.Stop:
                return

    async def _report(self, task_id: str, result: TaskResult) -> None:
        """Report the result; if the scheduler refuses outputs (say, a cmac already set), report
        the refusal as the task's failure so that the task does not stay Running."""
        refusal = await self._retrying(
            f"reporting task {task_id}", lambda: self._link.update_result(task_id, result)
        )
        if refusal is None or not isinstance(result, TaskOutputs):
            return
        failure = TaskFailure(f"Runtime Error: the scheduler refused the result: {refusal.message}")
        await self._retrying(f"reporting task {task_id}", lambda: self._link.update_result(task_id, failure))

    async def _retrying(self, what: str, call: Callable[[], Awaitable[None]]) -> TeahouseError | None:
        """Retry ``call`` while the scheduler is unreachable; return its refusal, if it refused."""
        failures = 0
        while True:
            try:
                await call()
                return None
            except TeahouseError as exc:
                if not transient(exc):
                    log.warning("%s: refused by the scheduler: %s", what, exc.message)
                    return exc
                failures += 1
                await self._pause(what, exc, failures)
