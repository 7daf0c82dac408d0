"""Teaclave's argument convention: flatten the argument object, lay out ``argv`` in guest memory."""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def flatten_arguments(arguments: Mapping[str, Any]) -> list[str]:
    """Flatten a task's arguments the way Teaclave does for MesaPy and WAMR (behaviour §5.2).

    Keys are sorted byte-lexicographically (UTF-8 order equals code point order, so a plain
    sort does it); each key is followed by its value, verbatim for strings and compact JSON
    for anything else (``3``, ``true``, ``1.0``, ``[1,2]``).
    """
    flat: list[str] = []
    for key in sorted(arguments):
        value = arguments[key]
        flat.append(key)
        if isinstance(value, str):
            flat.append(value)
        else:
            flat.append(json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True))
    return flat


@dataclass(frozen=True)
class ArgvBlock:
    """``argc`` C strings and the array of 32-bit pointers to them, as one block of guest memory.

    The pointer array comes first (so it is 4-byte aligned when the block is), then the
    NUL-terminated strings. The array is not NULL-terminated, as in Teaclave.
    """

    argc: int
    data: bytes

    @classmethod
    def build(cls, argv: list[str], base: int) -> ArgvBlock:
        """Lay out ``argv`` for a block that will be copied to guest address ``base``."""
        encoded = [arg.encode("utf-8") + b"\0" for arg in argv]
        pointers: list[int] = []
        offset = base + 4 * len(encoded)
        for item in encoded:
            pointers.append(offset)
            offset += len(item)
        table = struct.pack(f"<{len(pointers)}I", *pointers)
        return cls(argc=len(encoded), data=table + b"".join(encoded))

    @staticmethod
    def size_of(argv: list[str]) -> int:
        """How many bytes :meth:`build` will need for ``argv``."""
        return sum(4 + len(arg.encode("utf-8")) + 1 for arg in argv)
