"""Small helpers for Teaclave's serde JSON layouts (spec/wire.md §7.3).

Stored records are ours, so a record that does not decode means the store is damaged or was written
by something incompatible: that is an internal error (:class:`CorruptRecord`), never the caller's.
"""

from __future__ import annotations

import enum
import json
import re
import uuid
from collections.abc import Mapping
from typing import TypeAlias, TypeVar

from teahouse.errors import ServiceError

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
JSONObject: TypeAlias = "dict[str, JSONValue]"
E = TypeVar("E", bound=enum.Enum)


class CorruptRecord(ServiceError):
    """A stored record does not have the expected layout; the caller only sees the generic text."""

    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} (corrupt record: {self.detail})"


def dumps(value: JSONValue) -> bytes:
    """Compact UTF-8 JSON, as serde_json writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def loads(data: bytes, what: str) -> JSONValue:
    try:
        value: JSONValue = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptRecord(f"{what}: not JSON ({exc})") from exc
    return value


def as_object(value: JSONValue, what: str) -> Mapping[str, JSONValue]:
    if not isinstance(value, dict):
        raise CorruptRecord(f"{what}: expected an object")
    return value


def field(obj: Mapping[str, JSONValue], name: str, what: str) -> JSONValue:
    try:
        return obj[name]
    except KeyError:
        raise CorruptRecord(f"{what}: missing field {name!r}") from None


def as_str(value: JSONValue, what: str) -> str:
    if not isinstance(value, str):
        raise CorruptRecord(f"{what}: expected a string")
    return value


def as_bool(value: JSONValue, what: str) -> bool:
    if not isinstance(value, bool):
        raise CorruptRecord(f"{what}: expected a boolean")
    return value


def as_int(value: JSONValue, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CorruptRecord(f"{what}: expected an integer")
    return value


_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


def parse_uuid(text: str) -> uuid.UUID:
    """Parse a hyphenated (or 32-digit simple) UUID; raises ``ValueError`` otherwise."""
    if not _UUID_RE.fullmatch(text):
        raise ValueError(f"not a UUID: {text!r}")
    return uuid.UUID(text)


def as_uuid(value: JSONValue, what: str) -> uuid.UUID:
    try:
        return parse_uuid(as_str(value, what))
    except ValueError as exc:
        raise CorruptRecord(f"{what}: {exc}") from None


def as_list(value: JSONValue, what: str) -> list[JSONValue]:
    if not isinstance(value, list):
        raise CorruptRecord(f"{what}: expected an array")
    return value


def as_str_list(value: JSONValue, what: str) -> list[str]:
    return [as_str(item, what) for item in as_list(value, what)]


def bytes_to_json(data: bytes) -> list[JSONValue]:
    """serde encodes ``Vec<u8>`` and ``[u8; N]`` as an array of small integers."""
    return list(data)


def bytes_from_json(value: JSONValue, what: str, length: int | None = None) -> bytes:
    items = as_list(value, what)
    try:
        data = bytes(items)  # type: ignore[arg-type]  # bytes() checks every element is an int in 0..255
    except (TypeError, ValueError):
        raise CorruptRecord(f"{what}: expected an array of bytes") from None
    if length is not None and len(data) != length:
        raise CorruptRecord(f"{what}: expected {length} bytes, got {len(data)}")
    return data


def inner(value: JSONValue, what: str) -> Mapping[str, JSONValue]:
    """Unwrap Teaclave's map newtypes, serialised as ``{"inner": {...}}``."""
    return as_object(field(as_object(value, what), "inner", what), what)


def as_enum(cls: type[E], value: JSONValue, what: str) -> E:
    """A unit enum variant, serialised by serde as its name."""
    try:
        return cls(as_str(value, what))
    except ValueError:
        raise CorruptRecord(f"{what}: unknown value {value!r}") from None
