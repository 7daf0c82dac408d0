"""``poll_oneoff`` (WASI preview 1) over a fake guest memory."""

from __future__ import annotations

import struct
import threading
import time

import pytest

from teahouse.executors.wasm._files import HostFault
from teahouse.executors.wasm._poll import poll_oneoff

SUBSCRIPTION = struct.Struct("<QB7xI4xQQH6x")
EVENT = struct.Struct("<QHB5xQH6x")
IN, OUT, NEVENTS = 0, 4096, 8192


class FakeMemory:
    def __init__(self, size: int = 16384) -> None:
        self.data = bytearray(size)

    def check(self, ptr: int, size: int) -> int:
        if ptr + size > len(self.data):
            raise HostFault("out of bounds memory access")
        return ptr

    def read(self, ptr: int, size: int) -> bytes:
        self.check(ptr, size)
        return bytes(self.data[ptr : ptr + size])

    def write(self, ptr: int, data: bytes) -> None:
        self.check(ptr, len(data))
        self.data[ptr : ptr + len(data)] = data


def subscribe(memory: FakeMemory, *subscriptions: tuple[int, int, int, int, int]) -> int:
    for index, (userdata, tag, clock_or_fd, timeout, flags) in enumerate(subscriptions):
        SUBSCRIPTION.pack_into(memory.data, IN + index * 48, userdata, tag, clock_or_fd, timeout, 0, flags)
    return len(subscriptions)


def events(memory: FakeMemory) -> list[tuple[int, int, int]]:
    count = struct.unpack_from("<I", memory.data, NEVENTS)[0]
    return [EVENT.unpack_from(memory.data, OUT + i * 32)[:3] for i in range(count)]


def poll(memory: FakeMemory, count: int, stopped: threading.Event | None = None) -> int:
    return poll_oneoff(memory, stopped or threading.Event(), IN, OUT, count, NEVENTS)  # type: ignore[arg-type]


def test_relative_clock_sleeps() -> None:
    memory = FakeMemory()
    count = subscribe(memory, (7, 0, 1, 30_000_000, 0))
    started = time.monotonic()
    assert poll(memory, count) == 0
    assert time.monotonic() - started >= 0.03
    assert events(memory) == [(7, 0, 0)]


def test_descriptors_are_ready_at_once() -> None:
    memory = FakeMemory()
    count = subscribe(memory, (1, 0, 1, 10**12, 0), (2, 1, 0, 0, 0), (3, 2, 1, 0, 0))
    started = time.monotonic()
    assert poll(memory, count) == 0
    assert time.monotonic() - started < 5
    assert events(memory) == [(2, 0, 1), (3, 0, 2)]


def test_absolute_realtime_deadline_in_the_past_is_due() -> None:
    memory = FakeMemory()
    count = subscribe(memory, (9, 0, 0, time.time_ns() - 10**9, 1))
    assert poll(memory, count) == 0
    assert events(memory) == [(9, 0, 0)]


def test_absolute_monotonic_deadline_is_not_supported() -> None:
    memory = FakeMemory()
    count = subscribe(memory, (4, 0, 1, 123, 1))
    assert poll(memory, count) == 0
    assert events(memory) == [(4, 58, 0)]  # ENOTSUP


def test_stop_ends_the_wait() -> None:
    memory = FakeMemory()
    count = subscribe(memory, (5, 0, 1, 3600 * 10**9, 0))
    stopped = threading.Event()
    threading.Timer(0.02, stopped.set).start()
    started = time.monotonic()
    assert poll(memory, count, stopped) == 0
    assert time.monotonic() - started < 60
    assert events(memory) == []


def test_no_subscriptions_or_unknown_kind_is_einval() -> None:
    memory = FakeMemory()
    assert poll(memory, 0) == 28
    assert poll(memory, subscribe(memory, (1, 9, 0, 0, 0))) == 28


def test_buffers_outside_memory_are_a_fault() -> None:
    memory = FakeMemory(size=100)
    with pytest.raises(HostFault):
        poll(memory, 1)
