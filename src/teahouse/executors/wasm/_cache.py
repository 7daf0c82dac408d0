"""Compiled modules, cached in memory by payload digest so that a function compiles once.

Only memory: a serialized wasmtime artifact is native code that wasmtime loads without
checking it, and the disk belongs to the untrusted host, so an on-disk cache would need its
own sealing and integrity protection to be safe inside a TEE. Compiling is cheap enough
(milliseconds for Teaclave-sized modules) that a bounded in-memory LRU is the whole story.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from teahouse.executors.wasm._engine import shared_engine
from teahouse.executors.wasm._inspect import ModuleInfo, compile_module, inspect_module


@dataclass(frozen=True)
class CompiledModule:
    """A validated module: its facts and its compiled code, loadable into any run's engine."""

    digest: str
    info: ModuleInfo
    artifact: bytes


@dataclass(frozen=True)
class CacheStats:
    hits: int
    misses: int
    entries: int
    bytes: int


class ModuleCache:
    """A thread-safe LRU of :class:`CompiledModule`, bounded by entry count and artifact bytes.

    Two runs of the same new payload compile it once: the second waits for the first.
    """

    def __init__(self, max_entries: int = 64, max_bytes: int = 256 << 20) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, CompiledModule] = OrderedDict()
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()
        self._compiling: dict[str, threading.Lock] = {}

    def get(self, payload: bytes) -> CompiledModule:
        """Return the compiled module for ``payload``, compiling it on a miss (blocking).

        Raises :class:`teahouse.errors.InvalidArgument` if the payload is not a runnable module.
        """
        digest = hashlib.sha256(payload).hexdigest()
        with self._lock:
            found = self._lookup(digest)
            if found is not None:
                return found
            key_lock = self._compiling.setdefault(digest, threading.Lock())
        with key_lock:
            with self._lock:
                found = self._lookup(digest)
                if found is not None:
                    return found
            try:
                module = compile_module(shared_engine(), payload)
                compiled = CompiledModule(digest, inspect_module(module), bytes(module.serialize()))
                with self._lock:
                    self._misses += 1
                    self._insert(compiled)
            finally:
                with self._lock:
                    self._compiling.pop(digest, None)
            return compiled

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._entries), self._bytes)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _lookup(self, digest: str) -> CompiledModule | None:
        found = self._entries.get(digest)
        if found is not None:
            self._entries.move_to_end(digest)
            self._hits += 1
        return found

    def _insert(self, compiled: CompiledModule) -> None:
        size = len(compiled.artifact)
        if size > self._max_bytes or self._max_entries <= 0:
            return
        self._entries[compiled.digest] = compiled
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.artifact)
