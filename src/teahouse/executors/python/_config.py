"""Settings of the Python executor's sandbox and worker pool."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from teahouse.errors import InvalidArgument

NAMESPACES = ("net", "mount", "ipc", "uts", "pid")

# Modules a function can import. Nothing else can be imported once the sandbox is closed,
# because the worker cannot open files; this is roughly MesaPy-for-SGX's module set plus the
# pure-computation part of the standard library, and numpy (behind the _numpypy shim).
DEFAULT_PRELOAD = (
    "array", "base64", "binascii", "bisect", "collections", "copy", "csv", "dataclasses",
    "datetime", "decimal", "enum", "fractions", "functools", "hashlib", "heapq", "hmac",
    "itertools", "json", "marshal", "math", "numbers", "operator", "random", "re",
    "statistics", "string", "struct", "textwrap", "time", "typing", "unicodedata", "zlib",
    "numpy", "numpy.linalg", "numpy.random", "numpy.fft",
)  # fmt: skip


@dataclass(frozen=True)
class SandboxConfig:
    """How Python workers are started and pooled.

    ``pool_size`` workers are kept started and sandboxed, ready for a task (0 disables the
    pool: every run starts a cold worker). Each worker gets a uid (and gid) drawn from
    ``[uid_base, uid_base + uid_count)`` when the executor runs as root, and at most
    ``worker_threads`` threads. ``log_bytes`` caps what a function's prints add to the log.
    """

    pool_size: int = 2
    namespaces: tuple[str, ...] = NAMESPACES
    preload: tuple[str, ...] = DEFAULT_PRELOAD
    uid_base: int = 1_900_000_000
    uid_count: int = 100_000_000
    worker_threads: int = 16
    worker_open_files: int = 16
    log_bytes: int = 64 * 1024
    start_timeout_s: float = 60.0
    python: str = sys.executable

    def __post_init__(self) -> None:
        if self.pool_size < 0:
            raise InvalidArgument("pool_size must be at least 0")
        unknown = set(self.namespaces) - set(NAMESPACES)
        if unknown:
            raise InvalidArgument(f"unknown namespaces: {sorted(unknown)}")
        if self.uid_base < 1 or self.uid_count < 1 or self.uid_base + self.uid_count >= 2**32 - 1:
            raise InvalidArgument("uid range must lie within 1 .. 2**32 - 2")
        if self.worker_threads < 1 or self.worker_open_files < 8 or self.log_bytes < 0:
            raise InvalidArgument("worker_threads >= 1, worker_open_files >= 8 and log_bytes >= 0")
        if self.start_timeout_s <= 0:
            raise InvalidArgument("start_timeout_s must be positive")
