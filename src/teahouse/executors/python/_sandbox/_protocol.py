"""Frames exchanged between the executor and a sandboxed worker over two pipes.

A frame is a 9-byte header (kind: u8, body length: u64, big endian) and the body. Control frames
carry compact JSON, data frames raw bytes. The worker speaks first (``HELLO`` once it is
sandboxed), then waits for ``TASK`` and ``PAYLOAD``; while the function runs, it asks the executor
to open, read, write and close task files, and it ends with ``RETURN`` or ``RAISE``.

A service that runs workers itself (for example a standalone executor service) only needs this
module and a pair of pipes: the worker never opens a file or a socket.
"""

from __future__ import annotations

import enum
import json
import struct
from typing import Any

HEADER = struct.Struct(">BQ")
HANDLE = struct.Struct(">I")
READ_REQUEST = struct.Struct(">IQ")

# Size of one READ answer and of one WRITE frame: big enough that streaming a file costs few
# round trips, small enough that a frame never needs much memory on either side.
CHUNK = 64 * 1024
# Largest control frame (JSON, OPEN, READ, CLOSE) the executor accepts from a worker, and the
# largest RAISE (a JSON-escaped message and traceback, see _run).
MAX_CONTROL = 64 * 1024
MAX_FAILURE = 256 * 1024


class Kind(enum.IntEnum):
    """Frame kinds. Worker-to-executor kinds are below 16, executor-to-worker kinds above."""

    HELLO = 1  # JSON: the isolation the worker reached (see _boot.main)
    OPEN = 2  # JSON: {"name": str, "mode": "rb" | "wb"}
    READ = 3  # READ_REQUEST: handle, largest answer wanted
    WRITE = 4  # HANDLE, then the bytes to append
    CLOSE = 5  # HANDLE
    RETURN = 6  # the function's return value, as bytes
    RAISE = 7  # JSON: {"type", "message", "traceback", "memory"}

    TASK = 16  # JSON: {"argv": [str], "limits": {...}}
    PAYLOAD = 17  # the function's source
    OK = 18  # HANDLE: answer to OPEN
    DATA = 19  # answer to READ; empty at end of file
    ERROR = 20  # UTF-8 message: a refused OPEN or READ


def encode_header(kind: Kind, length: int) -> bytes:
    return HEADER.pack(kind, length)


def decode_header(header: bytes) -> tuple[int, int]:
    """Return (kind, body length); the kind is left as an int for the caller to validate."""
    kind, length = HEADER.unpack(header)
    return int(kind), int(length)


def dump_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def load_json(body: bytes) -> Any:
    return json.loads(body.decode("utf-8"))
