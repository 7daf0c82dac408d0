"""The compile cache: one compile per payload digest, bounded LRU."""

from __future__ import annotations

import threading

import pytest
import wasmtime

from teahouse.errors import InvalidArgument
from teahouse.executors.wasm import ModuleCache


def module(value: int) -> bytes:
    return bytes(
        wasmtime.wat2wasm(
            f'(module (memory (export "memory") 1)'
            f' (func (export "entrypoint") (param i32 i32) (result i32) i32.const {value}))'
        )
    )


def test_hit_after_miss() -> None:
    cache = ModuleCache()
    first = cache.get(module(1))
    assert cache.get(module(1)) is first
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.entries) == (1, 1, 1)
    assert stats.bytes == len(first.artifact) > 0


def test_least_recently_used_is_evicted() -> None:
    cache = ModuleCache(max_entries=2)
    one, two, three = module(1), module(2), module(3)
    cache.get(one)
    cache.get(two)
    cache.get(one)  # two is now the least recently used
    cache.get(three)
    cache.get(one)
    cache.get(two)
    assert cache.stats().misses == 4  # one, two, three, and two again


def test_byte_budget_bounds_the_cache() -> None:
    size = len(ModuleCache().get(module(1)).artifact)
    cache = ModuleCache(max_bytes=size * 2 + size // 2)
    for value in range(5):
        cache.get(module(value))
    stats = cache.stats()
    assert stats.entries == 2
    assert stats.bytes <= size * 2 + size // 2


def test_invalid_payload_is_not_cached() -> None:
    cache = ModuleCache()
    for _ in range(2):
        with pytest.raises(InvalidArgument):
            cache.get(b"\0asm\x01\0\0\0\x01")
    assert cache.stats().entries == 0


def test_concurrent_requests_compile_once() -> None:
    cache = ModuleCache()
    payload = module(7)
    barrier = threading.Barrier(4)

    def get() -> None:
        barrier.wait()
        cache.get(payload)

    threads = [threading.Thread(target=get) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.stats().misses == 1
    assert cache.stats().hits == 3
