"""The optimistic transaction helper of teahouse.kv (moved from management, shared with the scheduler)."""

from __future__ import annotations

import random

import pytest

from teahouse.errors import Code
from teahouse.kv import (
    CommitConflict,
    MemoryKeyValueStore,
    TooManyConflicts,
    Transaction,
    WriteBatch,
    run_transaction,
)


class CountingStore(MemoryKeyValueStore):
    def __init__(self) -> None:
        super().__init__()
        self.commits = 0

    async def commit(self, batch: WriteBatch) -> None:
        self.commits += 1
        await super().commit(batch)


async def test_expects_every_value_read_and_reads_its_own_writes() -> None:
    kv = CountingStore()
    await kv.put(b"a", b"1")

    async def body(txn: Transaction) -> bytes | None:
        assert await txn.get(b"a") == b"1"
        assert await txn.get(b"missing") is None
        txn.put(b"a", b"2")
        txn.delete(b"b")
        assert await txn.get(b"a") == b"2"
        assert await txn.get(b"b") is None
        sealed = txn.sealed_batch()
        assert sorted(sealed.expects) == [(b"a", b"1"), (b"missing", None)]
        return await txn.get(b"a")

    assert await run_transaction(kv, body) == b"2"
    assert await kv.get(b"a") == b"2"


async def test_read_only_bodies_do_not_commit() -> None:
    kv = CountingStore()

    async def body(txn: Transaction) -> None:
        await txn.get(b"x")

    await run_transaction(kv, body)
    assert kv.commits == 0


async def test_a_refusing_body_writes_nothing() -> None:
    kv = CountingStore()

    async def body(txn: Transaction) -> None:
        txn.put(b"x", b"1")
        raise ValueError("refused")

    with pytest.raises(ValueError):
        await run_transaction(kv, body)
    assert kv.commits == 0 and await kv.get(b"x") is None


async def test_retries_on_conflict_with_fresh_values() -> None:
    kv = MemoryKeyValueStore()
    await kv.put(b"n", b"0")
    runs = 0

    async def body(txn: Transaction) -> None:
        nonlocal runs
        runs += 1
        value = int(await txn.get(b"n") or b"0")
        if runs == 1:
            await kv.put(b"n", b"10")  # another writer commits first
        txn.put(b"n", str(value + 1).encode())

    await run_transaction(kv, body, rng=random.Random(1))
    assert runs == 2 and await kv.get(b"n") == b"11"


async def test_gives_up_after_the_bounded_number_of_attempts() -> None:
    kv = MemoryKeyValueStore()
    runs = 0

    async def body(txn: Transaction) -> None:
        nonlocal runs
        runs += 1
        await txn.get(b"k")
        await kv.put(b"k", str(runs).encode())  # always a conflicting writer
        txn.put(b"k", b"mine")

    with pytest.raises(TooManyConflicts) as info:
        await run_transaction(kv, body, attempts=5, rng=random.Random(1))
    assert runs == 5
    assert isinstance(info.value, CommitConflict) and info.value.code is Code.ABORTED
    assert await kv.get(b"k") == b"5"


async def test_known_values_save_reads_and_a_stale_one_costs_a_retry() -> None:
    kv = CountingStore()
    await kv.put(b"a", b"1")
    reads: list[bytes] = []
    original = kv.get

    async def counting_get(key: bytes) -> bytes | None:
        reads.append(key)
        return await original(key)

    kv.get = counting_get  # type: ignore[method-assign]

    async def bump(txn: Transaction) -> None:
        txn.put(b"a", str(int(await txn.get(b"a") or b"0") + 1).encode())

    await run_transaction(kv, bump, known={b"a": b"1"})
    assert reads == [] and await original(b"a") == b"2"
    await run_transaction(kv, bump, known={b"a": b"1"}, rng=random.Random(1))  # stale: 2 is current
    assert reads == [b"a"] and await original(b"a") == b"3"
