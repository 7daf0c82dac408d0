"""Typed function arguments, decoded from the task's JSON object the way serde does.

Each builtin declares its arguments as a frozen dataclass whose fields carry a :class:`Kind`
(``field(metadata=...)`` through :func:`arg`). Missing fields, wrong JSON types and out-of-range
numbers fail with ``Cannot deserialize arguments: argument <name>: <why>``; keys the function
does not declare (``save_log`` ...) are ignored, as serde ignores unknown fields.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from teahouse.functions._errors import FunctionError
from teahouse.functions._text import to_f32

T = TypeVar("T")

DESERIALIZE_ERROR = "Cannot deserialize arguments"


class ArgumentError(ValueError):
    """One argument does not decode; the message says why (serde's wording where it fits)."""


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value!r}`"
    if isinstance(value, str):
        return f'string "{value}"' if len(value) <= 40 else "a string"
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, Mapping):
        return "a map"
    return type(value).__name__


@dataclasses.dataclass(frozen=True)
class Kind:
    """A JSON type with its decoder."""

    expected: str
    decode: Callable[[Any], Any]


def _unsigned(bits: int, name: str) -> Kind:
    top = (1 << bits) - 1

    def decode(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ArgumentError(f"invalid type: {_describe(value)}, expected {name}")
        if not 0 <= value <= top:
            raise ArgumentError(f"invalid value: {_describe(value)}, expected {name}")
        return value

    return Kind(name, decode)


def _float(single: bool) -> Kind:
    name = "f32" if single else "f64"

    def decode(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ArgumentError(f"invalid type: {_describe(value)}, expected {name}")
        number = float(value)
        if not math.isfinite(number):
            raise ArgumentError(f"invalid value: {_describe(value)}, expected a finite {name}")
        return to_f32(number) if single else number

    return Kind(name, decode)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ArgumentError(f"invalid type: {_describe(value)}, expected a string")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ArgumentError(f"invalid type: {_describe(value)}, expected a boolean")
    return value


def _bytes(value: Any) -> bytes:
    if not isinstance(value, list):
        raise ArgumentError(f"invalid type: {_describe(value)}, expected a sequence of bytes")
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 255:
            raise ArgumentError(f"element {index}: invalid value: {_describe(item)}, expected u8")
    return bytes(value)


UINT = _unsigned(64, "usize")
U32 = _unsigned(32, "u32")
U8 = _unsigned(8, "u8")
F32 = _float(single=True)
F64 = _float(single=False)
STRING = Kind("a string", _string)
BOOL = Kind("a boolean", _boolean)
BYTES = Kind("a sequence of bytes", _bytes)


def arg(kind: Kind, *, optional: bool = False) -> Any:
    """Declare a dataclass field as an argument of ``kind`` (``optional``: absent or null → None)."""
    metadata = {"kind": kind, "optional": optional}
    if optional:
        return dataclasses.field(default=None, metadata=metadata)
    return dataclasses.field(metadata=metadata)


@dataclasses.dataclass(frozen=True)
class NoArguments:
    """For builtins that take no arguments."""


def decode_arguments(cls: type[T], raw: Any) -> T:
    """Build ``cls`` from the JSON object ``raw``; raise FunctionError naming the bad argument."""
    if not isinstance(raw, Mapping):
        raise FunctionError(f"{DESERIALIZE_ERROR}: the arguments are {_describe(raw)}, not a JSON object")
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind: Kind = spec.metadata["kind"]
        optional: bool = spec.metadata["optional"]
        if spec.name not in raw or (optional and raw[spec.name] is None):
            if optional:
                values[spec.name] = None
                continue
            raise FunctionError(f"{DESERIALIZE_ERROR}: missing argument `{spec.name}`")
        try:
            values[spec.name] = kind.decode(raw[spec.name])
        except ArgumentError as error:
            raise FunctionError(f"{DESERIALIZE_ERROR}: argument `{spec.name}`: {error}") from None
    return cls(**values)
