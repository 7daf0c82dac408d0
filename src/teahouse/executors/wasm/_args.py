"""Teaclave's argument convention: flatten the argument object, lay out ``argv`` in guest memory."""

from __future__ import annotations

import struct
from dataclasses import dataclass


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
