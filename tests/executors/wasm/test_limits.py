"""Memory limits and where the arguments go in guest memory."""

from __future__ import annotations

import pytest
import wasmtime

from teahouse.executors import FunctionFailed, Limits
from teahouse.executors.wasm._abi import DEFAULT_HEAP_BYTES, WASM_PAGE
from teahouse.executors.wasm._inspect import Flavour, ModuleInfo
from teahouse.executors.wasm._instance import memory_cap

HEAP_PAGES = DEFAULT_HEAP_BYTES // WASM_PAGE  # 320
INITIAL_PAGES = 2  # what wasm-ld gives the small payloads (stack + data)


def test_memory_cap_is_initial_memory_plus_teaclave_heap_by_default() -> None:
    info = ModuleInfo(
        Flavour.TEACLAVE, initial_memory_bytes=3 * WASM_PAGE, has_initialize=False, has_malloc=False
    )
    assert memory_cap(Limits(), info) == 3 * WASM_PAGE + 20 * 1024 * 1024
    assert memory_cap(Limits(memory_bytes=1 << 24), info) == 1 << 24
    assert memory_cap(Limits(memory_bytes=None), info) is None


async def test_memory_grows_up_to_the_teaclave_heap(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("memory_grower")))
    assert result.return_value == str(HEAP_PAGES).encode()


async def test_arguments_take_their_page_from_the_heap(executor, payload, invocation) -> None:
    result = await executor.run(invocation(payload("memory_grower"), {"key": "value"}))
    assert result.return_value == str(HEAP_PAGES - 1).encode()


async def test_memory_bytes_overrides_the_default(executor, payload, invocation) -> None:
    limits = Limits(memory_bytes=4 << 20)
    result = await executor.run(invocation(payload("memory_grower"), limits=limits))
    assert result.return_value == str(64 - INITIAL_PAGES).encode()


async def test_module_larger_than_the_memory_limit_fails(executor, payload, invocation) -> None:
    limits = Limits(memory_bytes=WASM_PAGE)
    with pytest.raises(FunctionFailed, match="memory"):
        await executor.run(invocation(payload("simple_add"), limits=limits))


# A module whose memory cannot grow: the arguments must go where its own malloc says.
FIXED_MEMORY_WITH_MALLOC = """
(module
  (memory (export "memory") 1 1)
  (func (export "malloc") (param i32) (result i32) i32.const 1024)
  ;; returns argv[1][0], the first byte of the first value
  (func (export "entrypoint") (param $argc i32) (param $argv i32) (result i32)
    (i32.load8_u (i32.load offset=4 (local.get $argv)))))
"""

FIXED_MEMORY = """
(module
  (memory (export "memory") 1 1)
  (func (export "entrypoint") (param i32 i32) (result i32) (local.get 0)))
"""


async def test_arguments_fall_back_to_the_module_malloc(executor, invocation) -> None:
    module = bytes(wasmtime.wat2wasm(FIXED_MEMORY_WITH_MALLOC))
    result = await executor.run(invocation(module, {"k": "Z"}))
    assert result.return_value == str(ord("Z")).encode()


async def test_no_room_for_arguments_fails(executor, invocation) -> None:
    module = bytes(wasmtime.wat2wasm(FIXED_MEMORY))
    with pytest.raises(FunctionFailed, match="no room for the arguments"):
        await executor.run(invocation(module, {"k": "v"}))


async def test_no_arguments_need_no_room(executor, invocation) -> None:
    module = bytes(wasmtime.wat2wasm(FIXED_MEMORY))
    assert (await executor.run(invocation(module))).return_value == b"0"


async def test_time_limit_covers_the_start_function(executor, invocation) -> None:
    module = bytes(
        wasmtime.wat2wasm(
            """
            (module
              (memory (export "memory") 1)
              (func $spin (loop $again (br $again)))
              (start $spin)
              (func (export "entrypoint") (param i32 i32) (result i32) (i32.const 0)))
            """
        )
    )
    with pytest.raises(FunctionFailed, match="time limit"):
        await executor.run(invocation(module, limits=Limits(wall_time_s=0.1)))
