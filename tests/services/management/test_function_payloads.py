"""A ``wamr`` function's payload is validated at RegisterFunction and UpdateFunction."""

from __future__ import annotations

import pytest
import wasmtime

from teahouse.errors import Code
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.errors import InvalidRequest

OWNER = Caller("fowner", "FunctionOwner")
ENTRY = '(memory (export "memory") 1) (func (export "entrypoint") (param i32 i32) (result i32) i32.const 7)'
RUNNABLE = bytes(wasmtime.wat2wasm(f"(module {ENTRY})"))
ROCKETS = bytes(
    wasmtime.wat2wasm(f'(module (import "env" "launch_rockets" (func (param i32) (result i32))) {ENTRY})')
)


def register(payload: bytes, executor_type: str = "wamr") -> m.RegisterFunctionRequest:
    return m.RegisterFunctionRequest(
        name="wasm", description="", executor_type=executor_type, public=True, payload=payload
    )


async def test_a_runnable_module_is_stored_as_given(svc: ManagementService) -> None:
    fid = (await svc.register_function(OWNER, register(RUNNABLE))).function_id
    assert (await svc.get_function(OWNER, m.FunctionIdRequest(fid))).payload == RUNNABLE


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (ROCKETS, r"^payload: wasm module imports unknown host function env\.launch_rockets; "),
        (b"", r"^payload: function payload is not a WebAssembly binary module"),
        (f"(module {ENTRY})".encode(), r"^payload: function payload is not a WebAssembly binary module"),
        (b"\0asm\x01\0\0\0\xff", r"^payload: invalid WebAssembly module: "),
        (bytes(wasmtime.wat2wasm('(module (memory (export "memory") 1))')), r"neither entrypoint"),
    ],
    ids=["unknown-import", "empty", "text-format", "garbage", "no-entrypoint"],
)
async def test_an_unrunnable_module_is_refused_at_registration(
    svc: ManagementService, payload: bytes, message: str
) -> None:
    with pytest.raises(InvalidRequest, match=message) as info:
        await svc.register_function(OWNER, register(payload))
    assert info.value.code == Code.INVALID_ARGUMENT
    assert (await svc.list_functions(OWNER, m.ListFunctionsRequest("fowner"))).registered_functions == []


async def test_an_update_to_an_unrunnable_module_is_refused(svc: ManagementService) -> None:
    fid = (await svc.register_function(OWNER, register(RUNNABLE))).function_id
    update = m.UpdateFunctionRequest(fid, "wasm", executor_type="wamr", payload=ROCKETS)
    with pytest.raises(InvalidRequest, match=r"env\.launch_rockets"):
        await svc.update_function(OWNER, update)
    assert (await svc.get_function(OWNER, m.FunctionIdRequest(fid))).payload == RUNNABLE


@pytest.mark.parametrize("executor_type", ["builtin", "python"])
async def test_other_executor_types_are_not_inspected(svc: ManagementService, executor_type: str) -> None:
    await svc.register_function(OWNER, register(ROCKETS, executor_type))
