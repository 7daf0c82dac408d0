"""The key-value interface that services persist through.

Management, authentication and the scheduler keep all their state behind
:class:`KeyValueStore`. In a running platform the implementation is the storage service's
attested client (``teahouse.services.storage.client.StorageClient``); tests use
:class:`MemoryKeyValueStore`. Both must pass ``tests/test_kv_conformance.py``.

Semantics (Teaclave's, spec/wire.md §7.1, with ``None`` instead of an error for "absent"):

- ``get`` returns the value or ``None``.
- ``keys_with_prefix(p)`` returns the sorted keys that start with ``p + b"-"``.
- queues are FIFO; ``dequeue`` returns ``None`` when the queue is empty.
- ``commit`` applies a :class:`WriteBatch` atomically and durably: all of it or none of it. A batch
  may carry expectations (compare-and-swap): the commit applies only if every expected key holds
  exactly the expected value (or is absent, when the expected value is ``None``); otherwise it
  raises :class:`CommitConflict` and changes nothing. Read-modify-write code retries on conflict.

:func:`run_transaction` is that retry loop, shared by every service that updates records other
processes may update too (management and the scheduler both write task records).
"""

from __future__ import annotations

import asyncio
import collections
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, runtime_checkable

from teahouse.errors import Code, TeahouseError


class CommitConflict(TeahouseError):
    """An expectation of a :class:`WriteBatch` did not hold; nothing was written."""

    code = Code.ABORTED
    message = "commit conflict"


class TooManyConflicts(CommitConflict):
    """Concurrent writers kept changing the records a request read; the caller may retry."""

    message = "too many concurrent updates of the same records, please retry"


@dataclass
class WriteBatch:
    """Writes that must land together (for example a task's new state and its queue entry)."""

    puts: list[tuple[bytes, bytes]] = field(default_factory=list)
    deletes: list[bytes] = field(default_factory=list)
    enqueues: list[tuple[bytes, bytes]] = field(default_factory=list)
    expects: list[tuple[bytes, bytes | None]] = field(default_factory=list)

    def expect(self, key: bytes, value: bytes | None) -> WriteBatch:
        """Apply the batch only if ``key`` currently holds ``value`` (``None``: is absent)."""
        self.expects.append((key, value))
        return self

    def put(self, key: bytes, value: bytes) -> WriteBatch:
        self.puts.append((key, value))
        return self

    def delete(self, key: bytes) -> WriteBatch:
        self.deletes.append(key)
        return self

    def enqueue(self, queue: bytes, value: bytes) -> WriteBatch:
        self.enqueues.append((queue, value))
        return self

    def __bool__(self) -> bool:
        return bool(self.puts or self.deletes or self.enqueues)


@runtime_checkable
class KeyValueStore(Protocol):
    async def get(self, key: bytes) -> bytes | None: ...

    async def put(self, key: bytes, value: bytes) -> None: ...

    async def delete(self, key: bytes) -> None: ...

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]: ...

    async def enqueue(self, queue: bytes, value: bytes) -> None: ...

    async def dequeue(self, queue: bytes) -> bytes | None: ...

    async def commit(self, batch: WriteBatch) -> None: ...


def prefix_range(prefix: bytes) -> tuple[bytes, bytes]:
    """The half-open key range ``[prefix-, prefix.)`` that Teaclave's prefix scan covers."""
    return prefix + b"-", prefix + b"."


class MemoryKeyValueStore:
    """An in-memory :class:`KeyValueStore` for tests and local experiments."""

    def __init__(self) -> None:
        self._data: dict[bytes, bytes] = {}
        self._queues: dict[bytes, collections.deque[bytes]] = collections.defaultdict(collections.deque)
        self._lock = asyncio.Lock()

    async def get(self, key: bytes) -> bytes | None:
        return self._data.get(key)

    async def put(self, key: bytes, value: bytes) -> None:
        self._data[key] = value

    async def delete(self, key: bytes) -> None:
        self._data.pop(key, None)

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        low, high = prefix_range(prefix)
        return sorted(k for k in self._data if low <= k < high)

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        self._queues[queue].append(value)

    async def dequeue(self, queue: bytes) -> bytes | None:
        q = self._queues.get(queue)
        return q.popleft() if q else None

    async def commit(self, batch: WriteBatch) -> None:
        async with self._lock:
            for key, expected in batch.expects:
                if self._data.get(key) != expected:
                    raise CommitConflict(f"commit conflict on key {key!r}")
            for key, value in batch.puts:
                self._data[key] = value
            for key in batch.deletes:
                self._data.pop(key, None)
            for queue, value in batch.enqueues:
                self._queues[queue].append(value)


# ---- optimistic transactions -------------------------------------------------------------

T = TypeVar("T")

MAX_ATTEMPTS = 64
BACKOFF_BASE = 0.0005
BACKOFF_CAP = 0.02


class Transaction:
    """One attempt of a read-modify-write body.

    Reads are recorded; writes are staged in ``batch`` and visible to later reads of the body.
    At commit the batch ``expect``s every value that was read, so it applies only if nothing the
    body looked at changed meanwhile. Prefix scans are not guarded: a transaction does not
    conflict with a concurrent insert of a new key.
    """

    def __init__(self, kv: KeyValueStore, known: Mapping[bytes, bytes | None] | None = None) -> None:
        self._kv = kv
        # Values believed current are taken as read without asking the store; the commit's
        # expectations still check them.
        self._read: dict[bytes, bytes | None] = dict(known or {})
        self._written: dict[bytes, bytes | None] = {}
        self.batch = WriteBatch()

    async def get(self, key: bytes) -> bytes | None:
        if key in self._written:
            return self._written[key]
        if key not in self._read:
            self._read[key] = await self._kv.get(key)
        return self._read[key]

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        return await self._kv.keys_with_prefix(prefix)

    def put(self, key: bytes, value: bytes) -> None:
        self._written[key] = value
        self.batch.put(key, value)

    def delete(self, key: bytes) -> None:
        self._written[key] = None
        self.batch.delete(key)

    def enqueue(self, queue: bytes, value: bytes) -> None:
        self.batch.enqueue(queue, value)

    def sealed_batch(self) -> WriteBatch:
        """The staged writes, guarded by an expectation for every value the body read."""
        for key, value in self._read.items():
            self.batch.expect(key, value)
        return self.batch


async def run_transaction(
    kv: KeyValueStore,
    body: Callable[[Transaction], Awaitable[T]],
    *,
    attempts: int = MAX_ATTEMPTS,
    rng: random.Random | None = None,
    known: Mapping[bytes, bytes | None] | None = None,
) -> T:
    """Run ``body`` until its writes commit against unchanged reads; return what it returned.

    On :class:`CommitConflict` the body runs again on fresh values after a short jittered
    backoff. A body that raises (a refused request) writes nothing. Raises
    :class:`TooManyConflicts` when every attempt met a conflicting writer.

    ``known`` holds values the caller believes current (say, what it wrote last); the first
    attempt uses them instead of reading those keys, saving a round trip each, and if one was
    stale the commit conflicts and the next attempts read everything afresh.
    """
    uniform = (rng or random).uniform
    for attempt in range(attempts):
        txn = Transaction(kv, known if attempt == 0 else None)
        result = await body(txn)
        if not txn.batch:
            return result
        try:
            await kv.commit(txn.sealed_batch())
        except CommitConflict:
            await asyncio.sleep(uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)))
            continue
        return result
    raise TooManyConflicts()
