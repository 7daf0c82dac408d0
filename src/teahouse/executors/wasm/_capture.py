"""Capturing a WASI module's stdout and stderr in memory."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable


class StreamCapture:
    """Bytes written to one WASI stream, up to ``limit``.

    wasmtime calls the writer from its own I/O threads and releases it from one of them
    when the store is dropped. A release still pending when the interpreter exits crashes
    that thread (a Rust panic in a function that cannot unwind), so the run waits for
    :meth:`wait_released` before it reports back.
    """

    def __init__(self, limit: int, on_overflow: Callable[[], object] | None = None) -> None:
        self._limit = limit
        self._on_overflow = on_overflow
        self._chunks: list[bytes] = []
        self._size = 0
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.overflowed = False

    def writer(self) -> Callable[[bytes], None]:
        """A fresh callable for ``WasiConfig.stdout_custom`` / ``stderr_custom``."""
        writer = _Writer(self)
        weakref.finalize(writer, self._released.set)
        return writer

    def wait_released(self, timeout: float) -> bool:
        return self._released.wait(timeout)

    def data(self) -> bytes:
        with self._lock:
            return b"".join(self._chunks)

    def lines(self) -> list[str]:
        return self.data().decode("utf-8", "replace").splitlines()

    def append(self, data: bytes) -> None:
        with self._lock:
            room = self._limit - self._size
            if len(data) > room:
                data = data[: max(room, 0)]
                first = not self.overflowed
                self.overflowed = True
            else:
                first = False
            self._chunks.append(data)
            self._size += len(data)
        if first and self._on_overflow is not None:
            self._on_overflow()


class _Writer:
    """Separate from :class:`StreamCapture` so that its release can be observed."""

    def __init__(self, capture: StreamCapture) -> None:
        self._capture = capture

    def __call__(self, data: bytes) -> None:
        # Never raise: wasmtime-py prints and swallows errors from this callback.
        self._capture.append(data)
