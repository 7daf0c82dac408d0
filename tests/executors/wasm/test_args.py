"""Argument flattening (behaviour §5.2) and the argv block copied into guest memory."""

from __future__ import annotations

import struct

from teahouse.executors.wasm import flatten_arguments
from teahouse.executors.wasm._args import ArgvBlock


def test_single_string_argument() -> None:
    assert flatten_arguments({"message": "hi"}) == ["message", "hi"]


def test_keys_are_sorted_not_in_request_order() -> None:
    assert flatten_arguments({"b": "2", "a": "1", "B": "3"}) == ["B", "3", "a", "1", "b", "2"]


def test_keys_sort_by_utf8_bytes() -> None:
    # U+00E9 (0xC3 0xA9) sorts after "z" (0x7A) byte-wise, as it does by code point.
    assert flatten_arguments({"é": "1", "z": "2"}) == ["z", "2", "é", "1"]


def test_non_string_values_are_compact_json() -> None:
    arguments = {"i": 3, "t": True, "f": 1.0, "l": [1, 2], "n": None, "o": {"y": 1, "x": "é"}}
    assert flatten_arguments(arguments) == [
        "f", "1.0", "i", "3", "l", "[1,2]", "n", "null", "o", '{"x":"é","y":1}', "t", "true",
    ]  # fmt: skip


def test_strings_are_verbatim() -> None:
    assert flatten_arguments({"s": '"quoted" 3'}) == ["s", '"quoted" 3']


def test_argv_block_layout() -> None:
    argv = ["adder1", "3", "é"]
    base = 0x10000
    block = ArgvBlock.build(argv, base)
    assert block.argc == 3
    assert len(block.data) == ArgvBlock.size_of(argv)
    pointers = struct.unpack_from("<3I", block.data)
    assert pointers[0] == base + 12
    for pointer, arg in zip(pointers, argv, strict=True):
        start = pointer - base
        end = block.data.index(b"\0", start)
        assert block.data[start:end] == arg.encode()


def test_empty_argv_block() -> None:
    assert ArgvBlock.build([], 0) == ArgvBlock(0, b"")
