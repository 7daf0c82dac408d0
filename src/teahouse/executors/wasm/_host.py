"""The five ``env.teaclave_*`` host functions, bound to one task's :class:`TaskFiles`.

Pointer arguments are checked against the caller's exported memory as WAMR does for its
``$`` and ``*~`` signatures; a bad pointer is a fault that fails the task. Nothing may raise
out of a host function: wasmtime-py passes host exceptions through one process-wide slot,
which concurrent runs would race on, so faults go through the run's stop switch instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import wasmtime

from teahouse.executors.wasm._abi import ENV_MODULE, ERROR, TEACLAVE_IMPORTS
from teahouse.executors.wasm._files import HostFault, TaskFiles

log = logging.getLogger(__name__)

_CHUNK = 1024


class GuestMemory:
    """Bounds-checked access to the calling instance's ``memory`` export."""

    def __init__(self, caller: wasmtime.Caller) -> None:
        memory = caller.get("memory")
        if not isinstance(memory, wasmtime.Memory):
            raise HostFault("host function called by a module without an exported memory")
        self._caller = caller
        self._memory = memory
        self._size = memory.data_len(caller)

    def check(self, ptr: int, size: int) -> int:
        """Return ``ptr`` as an unsigned address if ``[ptr, ptr + size)`` is inside memory."""
        address = ptr & 0xFFFF_FFFF
        if size < 0 or address + size > self._size:
            raise HostFault("out of bounds memory access")
        return address

    def read(self, ptr: int, size: int) -> bytes:
        address = self.check(ptr, size)
        return bytes(self._memory.read(self._caller, address, address + size))

    def write(self, ptr: int, data: bytes) -> None:
        address = self.check(ptr, len(data))
        if data:
            self._memory.write(self._caller, data, address)

    def read_cstring(self, ptr: int) -> bytes:
        """The NUL-terminated string at ``ptr``; it must end inside memory."""
        address = self.check(ptr, 0)
        parts: list[bytes] = []
        while address < self._size:
            chunk = bytes(self._memory.read(self._caller, address, min(address + _CHUNK, self._size)))
            end = chunk.find(0)
            if end >= 0:
                parts.append(chunk[:end])
                return b"".join(parts)
            parts.append(chunk)
            address += len(chunk)
        raise HostFault("out of bounds memory access")


def define_teaclave_imports(
    linker: wasmtime.Linker, files: TaskFiles, fault: Callable[[str], object]
) -> None:
    """Define ``env.teaclave_*`` on ``linker``; ``fault(reason)`` stops the run."""
    impls: dict[str, Callable[..., int]] = {
        "teaclave_open_input": lambda mem, ptr: _open(mem, ptr, files.open_input),
        "teaclave_create_output": lambda mem, ptr: _open(mem, ptr, files.create_output),
        "teaclave_read_file": lambda mem, fd, ptr, size: _read(mem, files, fd, ptr, size),
        "teaclave_write_file": lambda mem, fd, ptr, size: _write(mem, files, fd, ptr, size),
        "teaclave_close_file": lambda _mem, fd: files.close(fd),
    }
    i32 = wasmtime.ValType.i32()
    for name, arity in TEACLAVE_IMPORTS.items():
        ty = wasmtime.FuncType([i32] * arity, [i32])
        linker.define_func(ENV_MODULE, name, ty, guard(name, impls[name], fault), access_caller=True)


def guard(name: str, impl: Callable[..., int], fault: Callable[[str], object]) -> Callable[..., int]:
    def host_function(caller: wasmtime.Caller, *args: Any) -> int:
        try:
            return impl(GuestMemory(caller), *args)
        except HostFault as err:
            fault(f"{err} in {name}")
        except Exception:  # a host bug must not unwind through wasmtime either
            log.exception("host function %s failed", name)
            fault(f"internal error in host function {name}")
        return ERROR

    return host_function


def _open(mem: GuestMemory, ptr: int, opener: Callable[[str], int]) -> int:
    try:
        name = mem.read_cstring(ptr).decode("utf-8")
    except UnicodeDecodeError:
        return ERROR
    return opener(name)


def _read(mem: GuestMemory, files: TaskFiles, fd: int, ptr: int, size: int) -> int:
    if size < 0:
        return ERROR
    mem.check(ptr, size)
    data = files.read(fd, size)
    if data is None:
        return ERROR
    mem.write(ptr, data)
    return len(data)


def _write(mem: GuestMemory, files: TaskFiles, fd: int, ptr: int, size: int) -> int:
    if size < 0:
        return ERROR
    return files.write(fd, mem.read(ptr, size))
