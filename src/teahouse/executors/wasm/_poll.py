"""WASI ``poll_oneoff`` that a stop can interrupt.

wasmtime's own implementation sleeps inside Rust, where an epoch interrupt cannot reach it,
so a module calling ``sleep(1000)`` could not be cancelled. This one waits on the run's stop
event instead. A run has only files and captured streams as descriptors, and those never
block, so descriptor subscriptions are reported ready at once; clock subscriptions wait.
"""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable

import wasmtime

from teahouse.executors.wasm._abi import WASI_MODULE
from teahouse.executors.wasm._host import GuestMemory, guard

_SUBSCRIPTION = struct.Struct("<QB7xI4xQQH6x")  # userdata, tag, clock id, timeout, precision, flags
_FD_SUBSCRIPTION = struct.Struct("<QB7xI")  # userdata, tag, fd
_EVENT = struct.Struct("<QHB5xQH6x")  # userdata, errno, type, nbytes, flags
_NEVENTS = struct.Struct("<I")

_CLOCK, _FD_READ, _FD_WRITE = 0, 1, 2
_REALTIME, _MONOTONIC = 0, 1
_ABSTIME = 1
_ESUCCESS, _EINVAL, _ENOTSUP = 0, 28, 58


def define_poll_oneoff(
    linker: wasmtime.Linker, stopped: threading.Event, fault: Callable[[str], object]
) -> None:
    """Replace ``wasi_snapshot_preview1.poll_oneoff`` on a linker that already has WASI."""
    ty = wasmtime.FuncType([wasmtime.ValType.i32()] * 4, [wasmtime.ValType.i32()])
    impl = guard("poll_oneoff", lambda mem, *args: poll_oneoff(mem, stopped, *args), fault)
    linker.allow_shadowing = True
    linker.define_func(WASI_MODULE, "poll_oneoff", ty, impl, access_caller=True)
    linker.allow_shadowing = False


def poll_oneoff(
    mem: GuestMemory, stopped: threading.Event, in_ptr: int, out_ptr: int, count: int, nevents_ptr: int
) -> int:
    count &= 0xFFFF_FFFF
    if count == 0:
        return _EINVAL
    raw = mem.read(in_ptr, count * _SUBSCRIPTION.size)
    mem.check(out_ptr, count * _EVENT.size)
    mem.check(nevents_ptr, _NEVENTS.size)
    now = time.monotonic_ns()
    ready: list[tuple[int, int, int]] = []  # userdata, errno, event type
    timers: list[tuple[int, int]] = []  # deadline (monotonic ns), userdata
    for offset in range(0, len(raw), _SUBSCRIPTION.size):
        userdata, tag = _FD_SUBSCRIPTION.unpack_from(raw, offset)[:2]
        if tag in (_FD_READ, _FD_WRITE):
            ready.append((userdata, _ESUCCESS, tag))
        elif tag == _CLOCK:
            _, _, clock, timeout, _, flags = _SUBSCRIPTION.unpack_from(raw, offset)
            delay = _delay_ns(clock, timeout, flags)
            if delay is None:
                ready.append((userdata, _ENOTSUP, _CLOCK))
            else:
                timers.append((now + delay, userdata))
        else:
            return _EINVAL
    if not ready and timers:
        first = min(deadline for deadline, _ in timers)
        if not stopped.wait(max(first - now, 0) / 1e9):
            # Event.wait may wake a hair early; the first deadline is due either way.
            now = max(time.monotonic_ns(), first)
            ready = [(userdata, _ESUCCESS, _CLOCK) for deadline, userdata in timers if deadline <= now]
    events = b"".join(_EVENT.pack(userdata, errno, kind, 0, 0) for userdata, errno, kind in ready)
    mem.write(out_ptr, events)
    mem.write(nevents_ptr, _NEVENTS.pack(len(ready)))
    return _ESUCCESS


def _delay_ns(clock: int, timeout: int, flags: int) -> int | None:
    """Relative delay of a clock subscription; ``None`` for what cannot be honoured."""
    if not flags & _ABSTIME:
        return timeout
    if clock == _REALTIME:
        return max(timeout - time.time_ns(), 0)
    # An absolute monotonic deadline refers to wasmtime's clock origin, unknown here.
    return None
