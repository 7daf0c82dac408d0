"""Handing staged tasks to nodes, and taking them back from nodes that are gone.

A node's pop of ``staged-task`` is a storage long poll that stores the popped task under the
node's record in the same transaction (see ``_store``), so the storage service wakes exactly one
waiting node per staged task, without any polling period, and a task is never only in memory.
Before a task goes out its record is checked: entries of tasks canceled while queued are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from teahouse.kv import CommitConflict, Transaction, WriteBatch, run_transaction
from teahouse.model import STAGED_TASK_QUEUE, CorruptRecord, TaskState, TaskStatus
from teahouse.services.scheduler import _transitions as transitions
from teahouse.services.scheduler._nodes import Death
from teahouse.services.scheduler._store import (
    NODE_PREFIX,
    Assignment,
    KnownValues,
    SchedulerStore,
    decode_staged,
    executor_of,
    load_task,
    node_key,
    task_key,
)
from teahouse.services.scheduler.errors import PulledTaskCanceled

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, store: SchedulerStore, known: KnownValues | None = None) -> None:
        self._store = store
        self.known = known or KnownValues()
        self._holder: dict[uuid.UUID, str] = {}  # task → node whose record names it (a hint)

    async def _task(self, task_id: uuid.UUID) -> TaskState | None:
        """Read a task record and remember its bytes for the node's coming updates."""
        key = task_key(task_id)
        data = await self._store.get(key)
        if data is None:
            return None
        self.known.remember(key, data)
        return TaskState.from_bytes(data)

    async def recover(self) -> list[str]:
        """The nodes that hold a task according to storage (called once at start)."""
        nodes: list[str] = []
        for key in await self._store.keys_with_prefix(NODE_PREFIX):
            executor_id = executor_of(key)
            nodes.append(executor_id)
            data = await self._store.get(key)
            if data is not None:
                try:
                    self._holder[Assignment.decode(data).task_id] = executor_id
                except CorruptRecord:
                    log.error("corrupt scheduler record %r", key)
        return nodes

    async def assignment(self, executor_id: str) -> Assignment | None:
        data = await self._store.get(node_key(executor_id))
        try:
            return None if data is None else Assignment.decode(data)
        except CorruptRecord:
            return None

    async def next_for(self, executor_id: str, timeout: float, *, pulling: bool = False) -> bytes | None:
        """The StagedTask JSON of the node's next task, waiting up to ``timeout`` seconds.

        A task the node already holds and has not started is handed out again (the node or the
        scheduler may have restarted since). With ``pulling`` (Teaclave's PullTask), popping
        the entry of a canceled task raises :class:`PulledTaskCanceled`.
        """
        key = node_key(executor_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        trust_hint = True
        while True:
            if trust_hint and self.known.knows(key) and self.known.value(key) is None:
                held = None  # the node's record is gone (its last task ended): no need to look
            else:
                held = await self._store.get(key)
            if held is not None:
                staged = await self._redeliverable(key, held)
                if staged is not None:
                    return staged
                continue
            remaining = max(0.0, deadline - loop.time())
            try:
                value = await self._store.wait_dequeue(STAGED_TASK_QUEUE, remaining, hold_key=key)
            except CommitConflict:
                trust_hint = False  # the record exists after all (say, another call of the node)
                continue
            if value is None:
                self.known.remember(key, None)
                return None
            staged = await self._check_popped(executor_id, key, value, pulling)
            if staged is not None:
                return staged

    async def _redeliverable(self, key: bytes, held: bytes) -> bytes | None:
        try:
            assignment = Assignment.decode(held)
        except CorruptRecord as exc:
            log.error("dropping corrupt scheduler record %r: %s", key, exc)
            await self._clear(key, held)
            return None
        task = await self._task(assignment.task_id)
        if assignment.staged is not None and task is not None and task.status is TaskStatus.Staged:
            self.known.remember(key, held)
            return assignment.staged
        # Started (the node is idle again, so done with it), ended or gone: forget it, as Teaclave.
        await self._clear(key, held)
        return None

    async def _check_popped(self, executor_id: str, key: bytes, value: bytes, pulling: bool) -> bytes | None:
        try:
            staged = await decode_staged(value)
        except CorruptRecord as exc:
            log.error("dropping a corrupt staged task: %s", exc)
            await self._clear(key, value)
            return None
        self._holder[staged.task_id] = executor_id
        task = await self._task(staged.task_id)
        if task is not None and task.status is TaskStatus.Staged:
            self.known.remember(key, value)
            return value
        await self._clear(key, value)
        status = "deleted" if task is None else task.status.name
        log.info("dropped the queued entry of task %s: it is %s", staged.task_id, status)
        if pulling and task is not None and task.status is TaskStatus.Canceled:
            raise PulledTaskCanceled()
        return None

    async def _clear(self, key: bytes, expected: bytes) -> None:
        self.known.forget(key)
        # A conflict means the record changed meanwhile; whoever changed it owns it now.
        with contextlib.suppress(CommitConflict):
            await self._store.commit(WriteBatch().expect(key, expected).delete(key))

    async def rebind(self, executor_id: str, task_id: uuid.UUID) -> None:
        """The node reports running ``task_id``: make its record say so (after a re-queue, a
        restart or a redelivery another node's record may still name the task)."""
        key = node_key(executor_id)
        known = self.known.value(key)
        if known is not None and _names(known, task_id):
            return  # as it should be: the record the node got the task with
        held = await self._store.get(key)
        if held is not None:
            if not _names(held, task_id):
                log.warning("node %s runs task %s but holds another record; left as is", executor_id, task_id)
            return
        batch = WriteBatch().expect(key, None).put(key, Assignment(task_id).encode())
        other = self._holder.get(task_id)
        if other is not None and other != executor_id:
            other_key = node_key(other)
            data = await self._store.get(other_key)
            if data is not None and _names(data, task_id):
                batch.expect(other_key, data).delete(other_key)
        try:
            await self._store.commit(batch)
        except CommitConflict:
            return  # the next watch tries again
        self._holder[task_id] = executor_id
        self.known.remember(key, Assignment(task_id).encode())

    async def drop_in(self, txn: Transaction, task_id: uuid.UUID) -> bytes | None:
        """Inside ``txn``: delete the record of the node holding ``task_id`` (the task ended).
        Returns the key deleted, if any."""
        executor_id = self._holder.get(task_id)
        if executor_id is None:
            return None
        key = node_key(executor_id)
        data = await txn.get(key)
        if data is None or not _names(data, task_id):
            return None
        txn.delete(key)
        return key

    def holders(self) -> set[str]:
        """The nodes that hold a task, as far as this scheduler knows."""
        return set(self._holder.values())

    def holder(self, task_id: uuid.UUID) -> str | None:
        """The node whose record names the task, as far as this scheduler knows."""
        return self._holder.get(task_id)

    def forget_task(self, task_id: uuid.UUID, *, deleted: bytes | None = None) -> None:
        """The task ended; ``deleted`` is the node record that went with it."""
        executor_id = self._holder.pop(task_id, None)
        self.known.forget(task_key(task_id))
        if executor_id is not None:
            self.known.forget(node_key(executor_id))
        if deleted is not None:
            self.known.remember(deleted, None)

    async def task(self, task_id: uuid.UUID) -> TaskState | None:
        """The task as last read or written here, else as stored."""
        key = task_key(task_id)
        known = self.known.value(key)
        return TaskState.from_bytes(known) if known is not None else await self._task(task_id)

    def known_for(self, task_id: uuid.UUID) -> dict[bytes, bytes | None]:
        """What is known of the task's record and of the record of the node holding it."""
        keys = [task_key(task_id)]
        executor_id = self._holder.get(task_id)
        if executor_id is not None:
            keys.append(node_key(executor_id))
        return self.known.about(*keys)

    async def release(self, executor_id: str, death: Death) -> str:
        """Take back what a gone node held: a task it had not started is queued again, a task
        it was running fails. Returns what happened (for the log)."""
        key = node_key(executor_id)
        reason = transitions.EXECUTOR_LOST if death is Death.LOST else transitions.EXECUTOR_TIMEOUT

        async def body(txn: Transaction) -> str:
            held = await txn.get(key)
            if held is None:
                return "held nothing"
            txn.delete(key)
            try:
                assignment = Assignment.decode(held)
            except CorruptRecord:
                return "held a corrupt record (dropped)"
            task = await load_task(txn, assignment.task_id)
            if task is None or task.ended:
                return f"held task {assignment.task_id}, which has ended"
            if task.status is TaskStatus.Staged and assignment.staged is not None:
                txn.enqueue(STAGED_TASK_QUEUE, assignment.staged)
                return f"held task {task.task_id}, not started: queued again"
            transitions.fail(txn, task, reason)
            return f"ran task {task.task_id}: Failed ({reason})"

        outcome = await run_transaction(self._store, body)
        for task_id, holder in list(self._holder.items()):
            if holder == executor_id:
                self.forget_task(task_id)
        self.known.forget(key)
        return outcome


def _names(record: bytes, task_id: uuid.UUID) -> bool:
    try:
        return Assignment.decode(record).task_id == task_id
    except CorruptRecord:
        return False
