"""``SchedulerService``: one method per scheduler RPC, plus its two background loops.

Teaclave's RPCs keep their meaning (spec/behaviour.md §6.3) so a Teaclave execution service
could still use them; Teahouse's nodes use :meth:`SchedulerService.watch`, one long poll that
is both heartbeat and push channel. All durable state is in storage (see ``_store``); memory
holds only node liveness and the open watches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import NoReturn

from teahouse.kv import Transaction, run_transaction
from teahouse.model import STAGED_TASK_QUEUE, ExecutorCommand, ExecutorStatus, TaskResult, TaskStatus
from teahouse.services.scheduler import _transitions as transitions
from teahouse.services.scheduler._cancels import Cancels
from teahouse.services.scheduler._dispatch import Dispatcher
from teahouse.services.scheduler._nodes import NodeRegistry
from teahouse.services.scheduler._store import SchedulerStore, decode_staged, load_task, task_key
from teahouse.services.scheduler.config import SchedulerConfig
from teahouse.services.scheduler.errors import (
    InvalidExecutorId,
    InvalidTaskId,
    TaskQueueEmpty,
    Unimplemented,
)

log = logging.getLogger(__name__)


def parse_executor_id(text: str) -> str:
    """Executor ids are UUIDs (a Teaclave node picks a random one per process)."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise InvalidExecutorId(f"invalid executor id {text!r}: expected a UUID") from None


def parse_task_id(text: str) -> uuid.UUID:
    """A task id as nodes send it: the bare UUID (Teaclave) or ``task-<uuid>``."""
    try:
        return uuid.UUID(text.removeprefix("task-"))
    except ValueError:
        raise InvalidTaskId(f"invalid task id {text!r}: expected a UUID") from None


class SchedulerService:
    def __init__(
        self,
        store: SchedulerStore,
        config: SchedulerConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or SchedulerConfig()
        self._store = store
        self.nodes = NodeRegistry(self.config.executor_timeout_s, self.config.disconnect_grace_s, clock)
        self.dispatcher = Dispatcher(store)
        self.cancels = Cancels(store, self.config.cancel_wait_s, self._canceled)
        self._watchers: dict[uuid.UUID, set[asyncio.Future[None]]] = {}
        self._loops: list[asyncio.Task[None]] = []

    # ---- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Pick up what storage says (nodes holding tasks, half-applied cancels), start the loops."""
        for executor_id in await self.dispatcher.recover():
            self.nodes.seen(executor_id)  # every node gets a full timeout to come back
        await self.cancels.recover()
        self._loops = [
            asyncio.create_task(self.cancels.run(), name="scheduler-cancels"),
            asyncio.create_task(self._monitor(), name="scheduler-monitor"),
        ]

    async def close(self) -> None:
        for loop in self._loops:
            loop.cancel()
        for loop in self._loops:
            with contextlib.suppress(asyncio.CancelledError):
                await loop
        self._loops = []

    async def _monitor(self) -> None:
        loop = asyncio.get_running_loop()
        interval = self.config.check_interval_s
        last = loop.time()
        while True:
            await asyncio.sleep(interval)
            now = loop.time()
            stalled = now - last > interval + self.config.disconnect_grace_s / 2
            last = now
            if stalled:
                # The loop was busy: calls of live nodes may be waiting to be read. Let them in
                # before judging anyone by the grace period.
                continue
            await self.check_nodes()

    def node_counts(self) -> tuple[int, int]:
        """(nodes known to be alive, those of them holding a task), for metrics."""
        known = set(self.nodes.known())
        busy = {n for n in self.dispatcher.holders() if n in known}
        return len(known), len(busy)

    async def check_nodes(self) -> None:
        """Release what dead nodes held: unstarted tasks go back to the queue, running ones fail."""
        for executor_id, death in self.nodes.dead():
            self.nodes.forget(executor_id)
            try:
                outcome = await self.dispatcher.release(executor_id, death)
            except Exception as exc:  # noqa: BLE001 - retried after another timeout
                log.warning("could not release gone node %s: %s", executor_id, exc)
                self.nodes.seen(executor_id)
                continue
            log.info("execution node %s is gone (%s); it %s", executor_id, death.value, outcome)

    # ---- Teahouse: the node's long poll --------------------------------------------------
    async def watch(
        self, executor_id: str, status: ExecutorStatus, task_id: str, timeout: float
    ) -> tuple[ExecutorCommand, bytes]:
        """Idle: wait for the next task (NewTask + StagedTask JSON). Executing ``task_id``: wait
        until that task is canceled or ended elsewhere (Stop). NoAction after ``timeout``."""
        executor_id = parse_executor_id(executor_id)
        running = parse_task_id(task_id) if status is ExecutorStatus.Executing else None
        timeout = self.config.max_watch_s if timeout <= 0 else min(timeout, self.config.max_watch_s)
        self.nodes.call_started(executor_id, watch=True)
        try:
            if running is None:
                staged = await self.dispatcher.next_for(executor_id, timeout)
                if staged is None:
                    return ExecutorCommand.NoAction, b""
                log.info("task handed to node %s", executor_id)
                return ExecutorCommand.NewTask, staged
            return await self._watch_running(executor_id, running, timeout), b""
        finally:
            # Also when cut off (the node's connection dropped): then the node does not call again.
            self.nodes.call_ended(executor_id)

    async def _watch_running(self, executor_id: str, task_id: uuid.UUID, timeout: float) -> ExecutorCommand:
        stopped: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._watchers.setdefault(task_id, set()).add(stopped)
        try:
            task = await self.dispatcher.task(task_id)
            if task is None or task.ended:
                return ExecutorCommand.Stop
            if task.status is TaskStatus.Running:
                await self.dispatcher.rebind(executor_id, task_id)
            try:
                async with asyncio.timeout(timeout):
                    await stopped
            except TimeoutError:
                return ExecutorCommand.NoAction
            return ExecutorCommand.Stop
        finally:
            waiting = self._watchers.get(task_id)
            if waiting is not None:
                waiting.discard(stopped)
                if not waiting:
                    del self._watchers[task_id]

    def _canceled(self, task_id: uuid.UUID) -> None:
        self.dispatcher.known.forget(task_key(task_id))
        self._stop_watchers(task_id)

    def _stop_watchers(self, task_id: uuid.UUID) -> None:
        for stopped in self._watchers.pop(task_id, set()):
            if not stopped.done():
                stopped.set_result(None)

    # ---- Teaclave's RPCs -----------------------------------------------------------------
    async def heartbeat(self, executor_id: str, status: ExecutorStatus) -> ExecutorCommand:
        """Teaclave's 3-second heartbeat: Stop a canceled task, offer NewTask to an idle node."""
        executor_id = parse_executor_id(executor_id)
        self.nodes.seen(executor_id)
        if status is ExecutorStatus.Executing:
            held = await self.dispatcher.assignment(executor_id)
            if held is None:
                return ExecutorCommand.NoAction
            task = await load_task(self._store, held.task_id)
            if task is not None and task.status is TaskStatus.Canceled:
                return ExecutorCommand.Stop
            return ExecutorCommand.NoAction
        # Reserve the next task for this node now; its PullTask then gets exactly that task.
        staged = await self.dispatcher.next_for(executor_id, 0)
        return ExecutorCommand.NoAction if staged is None else ExecutorCommand.NewTask

    async def pull_task(self, executor_id: str) -> bytes:
        executor_id = parse_executor_id(executor_id)
        self.nodes.seen(executor_id)
        staged = await self.dispatcher.next_for(executor_id, 0, pulling=True)
        if staged is None:
            raise TaskQueueEmpty()
        return staged

    async def update_task_status(self, task_id: str) -> None:
        """The node starts the task: Staged → Running (Teaclave ignores the status it sends)."""
        tid = parse_task_id(task_id)
        async with self._call_of_holder(tid):
            known = self.dispatcher.known_for(tid)
            written = await run_transaction(self._store, lambda txn: transitions.start(txn, tid), known=known)
        self.dispatcher.known.remember(task_key(tid), written)
        log.info("task %s running", tid)

    async def update_task_result(self, task_id: str, result: TaskResult) -> None:
        tid = parse_task_id(task_id)

        async def body(txn: Transaction) -> bytes | None:
            await transitions.finish(txn, tid, result)
            return await self.dispatcher.drop_in(txn, tid)

        async with self._call_of_holder(tid):
            deleted = await run_transaction(self._store, body, known=self.dispatcher.known_for(tid))
        self.dispatcher.forget_task(tid, deleted=deleted)
        self._stop_watchers(tid)  # ends the reporting node's watch normally, not cut off
        log.info("task %s finished", tid)

    @contextlib.asynccontextmanager
    async def _call_of_holder(self, task_id: uuid.UUID) -> AsyncIterator[None]:
        """Teaclave's UpdateTaskStatus/Result do not say who calls: the node holding the task."""
        holder = self.dispatcher.holder(task_id)
        if holder is None or holder not in self.nodes:
            yield
            return
        self.nodes.call_started(holder)
        try:
            yield
        finally:
            self.nodes.call_ended(holder)

    async def publish_task(self, staged_task: bytes) -> None:
        """Queue a StagedTask (durably, unlike Teaclave's in-memory queue); as for every queued
        entry, it is handed out only while its task is Staged."""
        await decode_staged(staged_task)
        await self._store.enqueue(STAGED_TASK_QUEUE, staged_task)

    async def subscribe(self) -> NoReturn:
        raise Unimplemented("Subscribe is not implemented (nor is it in Teaclave); nodes use Watch")
