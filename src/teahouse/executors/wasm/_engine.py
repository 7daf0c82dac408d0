"""One engine configuration for compiling and for running.

Every run gets its own :class:`wasmtime.Engine`: the engine's epoch is the only interrupt
wasmtime's Python API offers, and it is engine-wide, so a private engine per run lets the
executor stop one instance (cancellation, time limit, host fault) without touching the
others. Engines are cheap (tens of microseconds); compiled code moves between engines with
the same configuration as a serialized artifact (a fraction of a millisecond to load).
"""

from __future__ import annotations

import threading

import wasmtime

_shared: wasmtime.Engine | None = None
_shared_lock = threading.Lock()


def new_engine() -> wasmtime.Engine:
    """A fresh engine with epoch interruption on; every engine made here is compatible."""
    config = wasmtime.Config()
    config.epoch_interruption = True
    # No shared memories: a module gets no threads, so shared memory buys it nothing.
    config.wasm_threads = False
    return wasmtime.Engine(config)


def shared_engine() -> wasmtime.Engine:
    """The process-wide engine used only to compile and inspect modules."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = new_engine()
        return _shared


def describe(error: BaseException) -> str:
    """A one-line text for a wasmtime error or trap, without the backtrace.

    wasmtime renders errors as a headline, an optional backtrace and a ``Caused by:`` list;
    the causes say what happened (``wasm trap: integer divide by zero``).
    """
    text = str(error).strip()
    head, sep, causes = text.partition("Caused by:")
    if not sep:
        return head.splitlines()[0].strip() if head else type(error).__name__
    lines = [line.strip() for line in causes.splitlines() if line.strip()]
    cleaned = [line.split(":", 1)[1].strip() if line.split(":", 1)[0].isdigit() else line for line in lines]
    return ": ".join(cleaned)
