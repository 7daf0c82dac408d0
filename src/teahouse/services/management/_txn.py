"""Optimistic read-modify-write transactions over a :class:`~teahouse.kv.KeyValueStore`.

A transaction body reads through a :class:`Transaction`, which remembers the value of every key it
read, and stages its writes in the transaction's batch. At commit the batch ``expect``s every value
that was read, so the commit applies only if nothing the body looked at changed meanwhile (another
management request, or the scheduler in another process). On :class:`~teahouse.kv.CommitConflict`
the body runs again on fresh values, after a short jittered backoff, a bounded number of times.

Prefix scans are not guarded: a transaction does not conflict with a concurrent insert of a new key.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from teahouse.kv import CommitConflict, KeyValueStore, WriteBatch
from teahouse.services.management.errors import TooManyConflicts

T = TypeVar("T")

MAX_ATTEMPTS = 64
BACKOFF_BASE = 0.0005
BACKOFF_CAP = 0.02


class Transaction:
    """One attempt: reads are recorded, writes are staged (and visible to later reads of the body)."""

    def __init__(self, kv: KeyValueStore) -> None:
        self._kv = kv
        self._read: dict[bytes, bytes | None] = {}
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
) -> T:
    """Run ``body`` until its writes commit against unchanged reads; return what it returned.

    A body that raises (a refused request) writes nothing. Raises :class:`TooManyConflicts` when
    every attempt met a conflicting writer.
    """
    uniform = (rng or random).uniform
    for attempt in range(attempts):
        txn = Transaction(kv)
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
