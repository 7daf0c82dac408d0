"""What the scheduler keeps in storage, and the store interface it needs.

Besides the task records and the two queues that management fills (``staged-task``,
``cancel_queue``), the scheduler keeps two kinds of records of its own, so that a restart loses
nothing:

* ``scheduler-node-<executor id>``: the task a node holds. Storage writes it in the same
  transaction that pops the task off ``staged-task`` (``wait_dequeue`` with a hold key), so a
  task is always either queued or held. While the task is Staged the record is the StagedTask
  JSON (it can be handed out again); once a node reports it running, it may be just the task id.
* ``scheduler-cancel-<uuid>``: a cancel request popped off ``cancel_queue``, until it is applied.
"""

from __future__ import annotations

import asyncio
import collections
import json
import re
import uuid
from dataclasses import dataclass
from typing import Protocol

from teahouse.kv import KeyValueStore, Transaction
from teahouse.model import CorruptRecord, StagedTask, TaskState

NODE_PREFIX = b"scheduler-node"
CANCEL_HOLD_PREFIX = b"scheduler-cancel"


class SchedulerStore(KeyValueStore, Protocol):
    """A key-value store with a waiting, optionally holding pop (the storage service's WaitDequeue)."""

    async def wait_dequeue(
        self, queue: bytes, timeout: float, *, hold_key: bytes | None = None
    ) -> bytes | None: ...


def node_key(executor_id: str) -> bytes:
    return NODE_PREFIX + b"-" + executor_id.encode()


def executor_of(key: bytes) -> str:
    return key[len(NODE_PREFIX) + 1 :].decode()


def new_cancel_hold() -> bytes:
    return CANCEL_HOLD_PREFIX + b"-" + str(uuid.uuid4()).encode()


def task_key(task_id: uuid.UUID) -> bytes:
    return f"task-{task_id}".encode()


@dataclass(frozen=True)
class Assignment:
    """The task a node holds: with the StagedTask while it may still be handed out, else its id."""

    task_id: uuid.UUID
    staged: bytes | None = None

    def encode(self) -> bytes:
        return self.staged if self.staged is not None else json.dumps(str(self.task_id)).encode()

    @classmethod
    def decode(cls, data: bytes) -> Assignment:
        if not data.startswith(b'"'):
            return cls(staged_task_id(data), data)
        try:
            return cls(uuid.UUID(json.loads(data)))
        except (ValueError, TypeError):
            raise CorruptRecord("scheduler node record: not a task id") from None


# How management writes a StagedTask: its task id comes first.
_LEADING_TASK_ID = re.compile(rb'\{"task_id":"([0-9a-fA-F-]{36})"')
_LARGE = 64 * 1024


def staged_task_id(data: bytes) -> uuid.UUID:
    """The task id of StagedTask JSON, without decoding the rest (the payload may be megabytes).

    Only for values already checked whole (:func:`decode_staged` when they were popped).
    """
    match = _LEADING_TASK_ID.match(data)
    if match is not None:
        return uuid.UUID(match.group(1).decode())
    return StagedTask.from_bytes(data).task_id


async def decode_staged(data: bytes) -> StagedTask:
    """Check and decode StagedTask JSON; a large one (a big payload) off the event loop."""
    if len(data) > _LARGE:
        return await asyncio.to_thread(StagedTask.from_bytes, data)
    return StagedTask.from_bytes(data)


async def load_task(kv: KeyValueStore | Transaction, task_id: uuid.UUID) -> TaskState | None:
    data = await kv.get(task_key(task_id))
    return None if data is None else TaskState.from_bytes(data)


class KnownValues:
    """The values the scheduler last read or wrote for the records of tasks in flight.

    A hint only: a transaction's first attempt uses them instead of reading
    (``run_transaction(known=…)``) and its commit's expectations catch any that went stale; a pop
    into a node record that is not absent after all is refused by storage. This takes the reads
    off a task's path from hand-out to result. Bounded; the oldest entries go first.
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._values: collections.OrderedDict[bytes, bytes | None] = collections.OrderedDict()

    def remember(self, key: bytes, value: bytes | None) -> None:
        """``None``: the key is known to be absent."""
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self._limit:
            self._values.popitem(last=False)

    def forget(self, *keys: bytes) -> None:
        for key in keys:
            self._values.pop(key, None)

    def knows(self, key: bytes) -> bool:
        return key in self._values

    def value(self, key: bytes) -> bytes | None:
        return self._values.get(key)

    def about(self, *keys: bytes) -> dict[bytes, bytes | None]:
        return {key: self._values[key] for key in keys if key in self._values}


def task_id_of_cancel(data: bytes) -> uuid.UUID:
    """The task of a ``cancel_queue`` entry (a whole TaskState, as Teaclave enqueues it)."""
    return TaskState.from_bytes(data).task_id
