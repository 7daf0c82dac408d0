"""Validation at registration time: ``validate_payload`` (and the flavour it implies)."""

from __future__ import annotations

import pytest
import wasmtime

from teahouse.errors import InvalidArgument
from teahouse.executors.wasm import Flavour, validate_payload
from teahouse.executors.wasm._engine import shared_engine
from teahouse.executors.wasm._inspect import inspect_module


def wat(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


def flavour_of(module: bytes) -> Flavour:
    return inspect_module(wasmtime.Module(shared_engine(), module)).flavour


ENTRY = '(memory (export "memory") 1) (func (export "entrypoint") (param i32 i32) (result i32) i32.const 0)'


@pytest.mark.parametrize(
    ("name", "flavour"),
    [
        ("simple_add", Flavour.TEACLAVE),
        ("set_intersect", Flavour.TEACLAVE),
        ("wasi_hello", Flavour.WASI_COMMAND),
        ("wasi_reactor", Flavour.WASI_REACTOR),
    ],
)
def test_payloads_validate(payload, name: str, flavour: Flavour) -> None:
    validate_payload(payload(name))
    assert flavour_of(payload(name)) is flavour


def test_unknown_host_function_is_named(payload) -> None:
    with pytest.raises(InvalidArgument, match=r"unknown host function env\.teaclave_launch_rockets"):
        validate_payload(payload("unknown_import"))


def test_unknown_function_of_another_module_is_named() -> None:
    module = wat(f'(module (import "teaclave" "read" (func (param i32) (result i32))) {ENTRY})')
    with pytest.raises(InvalidArgument, match=r"teaclave\.read"):
        validate_payload(module)


def test_unknown_wasi_function_is_named() -> None:
    module = wat(f'(module (import "wasi_snapshot_preview1" "teleport" (func)) {ENTRY})')
    with pytest.raises(InvalidArgument, match=r"wasi_snapshot_preview1\.teleport"):
        validate_payload(module)


def test_host_function_with_the_wrong_signature() -> None:
    module = wat(f'(module (import "env" "teaclave_read_file" (func (param i32) (result i32))) {ENTRY})')
    with pytest.raises(InvalidArgument, match=r"env\.teaclave_read_file as \(i32\) -> \(i32\), expected"):
        validate_payload(module)


def test_imported_memory_is_refused() -> None:
    entry = '(func (export "entrypoint") (param i32 i32) (result i32) i32.const 0)'
    module = wat(f'(module (import "env" "memory" (memory 1)) {entry})')
    with pytest.raises(InvalidArgument, match=r"env\.memory, which is not a function"):
        validate_payload(module)


def test_module_without_entrypoint_or_start() -> None:
    with pytest.raises(InvalidArgument, match="neither entrypoint"):
        validate_payload(wat('(module (memory (export "memory") 1))'))


def test_entrypoint_with_the_wrong_signature() -> None:
    module = wat(
        '(module (memory (export "memory") 1) (func (export "entrypoint") (result i32) i32.const 0))'
    )
    with pytest.raises(
        InvalidArgument, match=r"entrypoint is \(\) -> \(i32\), expected \(i32, i32\) -> \(i32\)"
    ):
        validate_payload(module)


def test_entrypoint_needs_an_exported_memory() -> None:
    module = wat('(module (func (export "entrypoint") (param i32 i32) (result i32) i32.const 0))')
    with pytest.raises(InvalidArgument, match="does not export its memory"):
        validate_payload(module)


def test_start_makes_a_wasi_command_even_without_wasi_imports() -> None:
    module = wat('(module (func (export "_start")))')
    validate_payload(module)
    assert flavour_of(module) is Flavour.WASI_COMMAND


def test_text_format_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="not a WebAssembly binary"):
        validate_payload(f"(module {ENTRY})".encode())


def test_garbage_after_the_header_is_invalid() -> None:
    with pytest.raises(InvalidArgument, match="invalid WebAssembly module"):
        validate_payload(b"\0asm\x01\0\0\0\xff\xff")
