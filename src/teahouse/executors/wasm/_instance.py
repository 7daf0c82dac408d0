"""One run of a compiled module, start to finish, on the calling thread.

Every wasmtime object of the run (engine, store, linker, instance) lives inside
:func:`_execute` and is gone when it returns: nothing that escapes it (the outcome, an
exception, a traceback) refers to them, so the store is dropped before the run reports back.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import wasmtime

from teahouse.executors._argv import flatten_arguments
from teahouse.executors._base import FunctionFailed, Invocation, InvocationResult, Limits
from teahouse.executors.wasm._abi import DEFAULT_HEAP_BYTES
from teahouse.executors.wasm._args import ArgvBlock
from teahouse.executors.wasm._cache import CompiledModule
from teahouse.executors.wasm._control import RunControl
from teahouse.executors.wasm._engine import describe, new_engine
from teahouse.executors.wasm._files import HostFault, TaskFiles
from teahouse.executors.wasm._host import define_teaclave_imports
from teahouse.executors.wasm._inspect import Flavour, ModuleInfo
from teahouse.executors.wasm._wasi import WasiEnvironment

_UNSET_MEMORY = Limits().memory_bytes
_TABLE_ELEMENTS = 1 << 20
_TABLES = 8


@dataclass
class _Outcome:
    """What :func:`_execute` hands back: plain values only."""

    value: int | None = None  # entrypoint's result, or a command's exit status
    failure: str | None = None
    detail: list[str] = field(default_factory=list)


def memory_cap(limits: Limits, info: ModuleInfo) -> int | None:
    """Bytes of linear memory the run may have.

    Teaclave gives WAMR a 20 MiB application heap on top of the module's own initial memory;
    that is the default. A ``memory_bytes`` other than :class:`Limits`' default replaces it
    (``None``: no cap).
    """
    if limits.memory_bytes != _UNSET_MEMORY:
        return limits.memory_bytes
    return info.initial_memory_bytes + DEFAULT_HEAP_BYTES


def run_module(
    invocation: Invocation, compiled: CompiledModule, control: RunControl, *, scratch_dir: Path | None = None
) -> InvocationResult:
    """Run ``compiled`` for ``invocation``; raise :class:`FunctionFailed` if the function fails."""
    if not control.begin():
        raise FunctionFailed(control.reason or "stopped")
    info = compiled.info
    argv = flatten_arguments(invocation.arguments)
    limits = invocation.limits
    files = TaskFiles(
        invocation.inputs, invocation.outputs, max_open=limits.open_files, output_bytes=limits.output_bytes
    )
    with ExitStack() as stack:
        wasi = None
        if info.flavour.uses_wasi:
            wasi = stack.enter_context(
                WasiEnvironment(
                    invocation.inputs,
                    invocation.outputs,
                    control,
                    stdout_is_result=info.flavour is Flavour.WASI_COMMAND,
                    scratch_dir=scratch_dir,
                )
            )
        try:
            outcome = _execute(compiled, memory_cap(limits, info), argv, files, control, wasi)
        finally:
            files.close_all()
        if info.flavour is Flavour.WASI_COMMAND and outcome.value and outcome.failure is None:
            outcome.failure = f"exited with status {outcome.value}"
        if wasi is not None:
            try:
                wasi.finish(collect_outputs=outcome.failure is None and control.reason is None)
            except HostFault as err:
                outcome.failure = str(err)
        log = wasi.log_lines() if wasi is not None and invocation.save_log else []
        if outcome.failure is not None:
            raise FunctionFailed(outcome.failure, log + outcome.detail if invocation.save_log else [])
        if info.flavour is Flavour.WASI_COMMAND and wasi is not None:
            return InvocationResult(wasi.stdout.data(), log)
        return InvocationResult(str(outcome.value).encode(), log)


def _execute(
    compiled: CompiledModule,
    cap: int | None,
    argv: list[str],
    files: TaskFiles,
    control: RunControl,
    wasi: WasiEnvironment | None,
) -> _Outcome:
    engine = new_engine()
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(1)  # one tick of this run's private engine stops it
    store.set_limits(
        memory_size=-1 if cap is None else cap,
        table_elements=_TABLE_ELEMENTS,
        instances=1,
        tables=_TABLES,
        memories=1,
    )
    module = wasmtime.Module.deserialize(engine, compiled.artifact)
    linker = wasmtime.Linker(engine)
    define_teaclave_imports(linker, files, control.stop)
    if wasi is not None:
        wasi.install(linker, store, argv)
    outcome = _Outcome()
    if not control.attach(engine):
        outcome.failure = control.reason
        return outcome
    try:
        instance = linker.instantiate(store, module)
        outcome.value = _call(instance, store, compiled.info, argv)
    except _NoRoom as err:
        outcome.failure = str(err)
    except wasmtime.ExitTrap as err:
        outcome.value = err.code
        _forget_frames(err)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
        outcome.failure = describe(err)
        outcome.detail = [f"[ERROR wasm::trap] {line}" for line in str(err).splitlines() if line.strip()]
        _forget_frames(err)
    finally:
        control.detach()
    if control.reason is not None:
        outcome.failure = control.reason
    return outcome


class _NoRoom(Exception):
    pass


def _forget_frames(error: BaseException) -> None:
    """Break the cycle a wasmtime trap makes (trap -> traceback -> frame -> trap).

    The frames inside wasmtime-py hold the store; left to the cycle collector, the store
    (and the WASI streams it owns) would outlive the run by an unknown time.
    """
    traceback.clear_frames(error.__traceback__)
    error.__traceback__ = None


def _call(instance: wasmtime.Instance, store: wasmtime.Store, info: ModuleInfo, argv: list[str]) -> int:
    exports = instance.exports(store)
    if info.has_initialize:
        _func(exports, "_initialize")(store)
    if info.flavour is Flavour.WASI_COMMAND:
        _func(exports, "_start")(store)
        return 0
    argv_ptr = _place_argv(exports, store, argv, info.has_malloc)
    result = _func(exports, "entrypoint")(store, len(argv), argv_ptr)
    if not isinstance(result, int):
        raise wasmtime.WasmtimeError("entrypoint returned no i32")
    return result


def _place_argv(exports: Mapping[str, object], store: wasmtime.Store, argv: list[str], malloc: bool) -> int:
    """Copy argv into fresh pages at the end of memory (or, failing that, the module's malloc).

    Fresh pages belong to nobody: any allocator that gets memory through ``memory.grow``
    builds on whatever size it finds, so it never hands these bytes out again. This works for
    ``-nostdlib`` modules that have no allocator at all, unlike calling an exported ``malloc``.
    """
    if not argv:
        return 0
    memory = exports["memory"]
    if not isinstance(memory, wasmtime.Memory):
        raise _NoRoom("module has no memory for its arguments")
    size = ArgvBlock.size_of(argv)
    page = memory.page_size(store)
    base: int | None
    try:
        base = memory.grow(store, math.ceil(size / page)) * page
    except wasmtime.WasmtimeError:
        base = None
    if base is None and malloc:
        base = _func(exports, "malloc")(store, size) & 0xFFFF_FFFF
        if not base or base + size > memory.data_len(store):
            base = None
    if base is None:
        raise _NoRoom("no room for the arguments in the module's memory (memory limit reached)")
    memory.write(store, ArgvBlock.build(argv, base).data, base)
    return base


def _func(exports: Mapping[str, object], name: str) -> wasmtime.Func:
    item = exports[name]
    if not isinstance(item, wasmtime.Func):
        raise wasmtime.WasmtimeError(f"export {name} is not a function")
    return item
