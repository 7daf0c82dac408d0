"""An in-memory scheduler store, a settable clock, and records of staged tasks."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.kv import CommitConflict, MemoryKeyValueStore, WriteBatch
from teahouse.model import (
    STAGED_TASK_QUEUE,
    Executor,
    ExecutorType,
    ExternalID,
    OutputFile,
    StagedOutput,
    StagedTask,
    TaskState,
    TaskStatus,
)

CRYPTO = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))


class MemoryStore(MemoryKeyValueStore):
    """``MemoryKeyValueStore`` plus the storage service's WaitDequeue (waiters woken by enqueues)."""

    def __init__(self) -> None:
        super().__init__()
        self._enqueued: dict[bytes, asyncio.Event] = {}
        self.waits = 0

    def _wake(self, queues: set[bytes]) -> None:
        for queue in queues:
            event = self._enqueued.pop(queue, None)
            if event is not None:
                event.set()

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        await super().enqueue(queue, value)
        self._wake({queue})

    async def commit(self, batch: WriteBatch) -> None:
        await super().commit(batch)
        self._wake({q for q, _ in batch.enqueues})

    async def wait_dequeue(
        self, queue: bytes, timeout: float, *, hold_key: bytes | None = None
    ) -> bytes | None:
        self.waits += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._enqueued.setdefault(queue, asyncio.Event())
            if hold_key is not None and hold_key in self._data:
                raise CommitConflict("hold key in use")
            value = await self.dequeue(queue)
            if value is not None:
                if hold_key is not None:
                    self._data[hold_key] = value  # in the same step as the pop, as storage does
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                return None

    def queued(self, queue: bytes) -> list[bytes]:
        return list(self._queues.get(queue, ()))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclasses.dataclass
class Staged:
    """A task as management leaves it after InvokeTask: Staged, with its StagedTask queued."""

    task: TaskState
    staged: StagedTask
    output: OutputFile

    @property
    def id(self) -> uuid.UUID:
        return self.task.task_id

    @property
    def bytes(self) -> bytes:
        return self.staged.to_bytes()


def staged_task(**task_changes: object) -> Staged:
    task_id = uuid.uuid4()
    output = OutputFile("http://files/out.enc", None, CRYPTO, frozenset({"alice"}), uuid.uuid4())
    task = TaskState(
        task_id=task_id,
        creator="alice",
        function_id=ExternalID("function", uuid.uuid4()),
        function_arguments={"message": "hi"},
        executor=Executor.BUILTIN,
        inputs_ownership={},
        outputs_ownership={"out": frozenset({"alice"})},
        function_owner="alice",
        participants=frozenset({"alice"}),
        assigned_outputs={"out": output},
        status=TaskStatus.Staged,
    )
    task = dataclasses.replace(task, **task_changes)  # type: ignore[arg-type]
    staged = StagedTask(
        task_id=task_id,
        user_id="alice",
        function_id=task.function_id.uuid,
        function_name="builtin-echo",
        function_payload=b"",
        function_arguments={"message": "hi"},
        executor=Executor.BUILTIN,
        executor_type=ExecutorType.BUILTIN,
        output_data={"out": StagedOutput(output.url, CRYPTO)},
    )
    return Staged(task, staged, output)


async def stage(store: MemoryStore, **task_changes: object) -> Staged:
    """InvokeTask's one commit: the task Staged and its StagedTask queued (plus the output record)."""
    s = staged_task(**task_changes)
    await store.commit(
        WriteBatch()
        .put(s.task.key, s.task.to_bytes())
        .put(s.output.key, s.output.to_bytes())
        .enqueue(STAGED_TASK_QUEUE, s.bytes)
    )
    return s


async def task_of(store: MemoryStore, s: Staged) -> TaskState:
    data = await store.get(s.task.key)
    assert data is not None
    return TaskState.from_bytes(data)
