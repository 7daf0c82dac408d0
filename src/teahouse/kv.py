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
"""

from __future__ import annotations

import asyncio
import collections
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from teahouse.errors import Code, TeahouseError


class CommitConflict(TeahouseError):
    """An expectation of a :class:`WriteBatch` did not hold; nothing was written."""

    code = Code.ABORTED
    message = "commit conflict"


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
