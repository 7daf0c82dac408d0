"""Validation: what a module imports and exports decides whether and how it can run."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import wasmtime

from teahouse.errors import InvalidArgument
from teahouse.executors.wasm._abi import (
    ENV_MODULE,
    TEACLAVE_IMPORTS,
    WASI_FUNCTIONS,
    WASI_MODULE,
    WASM_MAGIC,
)
from teahouse.executors.wasm._engine import describe, shared_engine


class Flavour(enum.Enum):
    """How a module is called."""

    #: Teaclave's WAMR convention: ``entrypoint(argc, argv)``, only the ``env`` imports.
    TEACLAVE = "teaclave"
    #: A WASI command: ``_start`` (C ``main``), argv through WASI, result = stdout.
    WASI_COMMAND = "wasi-command"
    #: ``entrypoint(argc, argv)`` in a module that also imports WASI (a WASI reactor).
    WASI_REACTOR = "wasi-reactor"

    @property
    def uses_wasi(self) -> bool:
        return self is not Flavour.TEACLAVE


@dataclass(frozen=True)
class ModuleInfo:
    """What the executor needs to know about a validated module."""

    flavour: Flavour
    initial_memory_bytes: int
    has_initialize: bool
    has_malloc: bool


def validate_payload(payload: bytes) -> None:
    """Refuse a payload that the ``wamr`` executor could not run.

    Checks that it is a binary WebAssembly module that compiles, imports nothing beyond the
    five Teaclave host functions (and WASI preview 1) with the right signatures, and exports
    ``entrypoint(argc, argv)`` or a WASI ``_start``. Raises :class:`InvalidArgument` naming
    the first problem found.
    """
    inspect_module(compile_module(shared_engine(), payload))


def compile_module(engine: wasmtime.Engine, payload: bytes) -> wasmtime.Module:
    """Compile a binary module (the text format is refused, as WAMR would)."""
    if not payload.startswith(WASM_MAGIC):
        raise InvalidArgument("function payload is not a WebAssembly binary module (no \\0asm header)")
    try:
        return wasmtime.Module(engine, payload)
    except wasmtime.WasmtimeError as err:
        raise InvalidArgument(f"invalid WebAssembly module: {describe(err)}") from None


def inspect_module(module: wasmtime.Module) -> ModuleInfo:
    """Check a compiled module's imports and exports; raise :class:`InvalidArgument` if unusable."""
    uses_wasi = _check_imports(module)
    exports = {export.name: export.type for export in module.exports}
    if "_start" in exports:
        _expect_func(exports, "_start", 0, 0)
        flavour = Flavour.WASI_COMMAND
    elif "entrypoint" in exports:
        _expect_func(exports, "entrypoint", 2, 1)
        flavour = Flavour.WASI_REACTOR if uses_wasi else Flavour.TEACLAVE
    else:
        raise InvalidArgument("wasm module exports neither entrypoint(argc, argv) nor a WASI _start")
    memory = exports.get("memory")
    if memory is None and flavour is not Flavour.WASI_COMMAND:
        raise InvalidArgument("wasm module does not export its memory as `memory`")
    initial = 0
    if memory is not None:
        if not isinstance(memory, wasmtime.MemoryType) or memory.is_64 or memory.is_shared:
            raise InvalidArgument("wasm module export `memory` is not a 32-bit unshared linear memory")
        initial = memory.limits.min * memory.page_size
    has_initialize = "_initialize" in exports
    if has_initialize:
        _expect_func(exports, "_initialize", 0, 0)
    malloc = exports.get("malloc")
    has_malloc = isinstance(malloc, wasmtime.FuncType) and _is_i32_func(malloc, 1, 1)
    return ModuleInfo(flavour, initial, has_initialize, has_malloc)


def _check_imports(module: wasmtime.Module) -> bool:
    """Raise if any import is not provided; return whether the module imports WASI."""
    unknown: list[str] = []
    uses_wasi = False
    for item in module.imports:
        where = f"{item.module}.{item.name}"
        ty = item.type
        if not isinstance(ty, wasmtime.FuncType):
            raise InvalidArgument(f"wasm module imports {where}, which is not a function")
        if item.module == ENV_MODULE and item.name in TEACLAVE_IMPORTS:
            arity = TEACLAVE_IMPORTS[item.name]
            if not _is_i32_func(ty, arity, 1):
                expected = ", ".join(["i32"] * arity)
                raise InvalidArgument(
                    f"wasm module imports {where} as {_signature(ty)}, expected ({expected}) -> (i32)"
                )
        elif item.module == WASI_MODULE and item.name in WASI_FUNCTIONS:
            uses_wasi = True
        else:
            unknown.append(where)
    if unknown:
        raise InvalidArgument(
            f"wasm module imports unknown host function {', '.join(unknown)}; the wamr executor provides "
            f"{', '.join(f'{ENV_MODULE}.{name}' for name in TEACLAVE_IMPORTS)} and WASI preview 1 "
            f"({WASI_MODULE})"
        )
    return uses_wasi


def _expect_func(exports: Mapping[str, object], name: str, params: int, results: int) -> None:
    ty = exports[name]
    if not isinstance(ty, wasmtime.FuncType) or not _is_i32_func(ty, params, results):
        shown = _signature(ty) if isinstance(ty, wasmtime.FuncType) else "not a function"
        expected = f"({', '.join(['i32'] * params)}) -> ({', '.join(['i32'] * results)})"
        raise InvalidArgument(f"wasm module export {name} is {shown}, expected {expected}")


def _is_i32_func(ty: wasmtime.FuncType, params: int, results: int) -> bool:
    i32 = wasmtime.ValType.i32()
    return [*ty.params] == [i32] * params and [*ty.results] == [i32] * results


def _signature(ty: wasmtime.FuncType) -> str:
    return f"({', '.join(map(str, ty.params))}) -> ({', '.join(map(str, ty.results))})"
