"""The task's files, held by the executor and served to the worker by handle.

The worker names a file by its task data name; only the names of the invocation exist, inputs
open for reading and outputs for writing (truncated, as Teaclave's ``create_output``). Every
open gives a fresh handle with its own position, so two readers of one input are independent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from teahouse.executors.python._sandbox._teaclave import FFI_ERROR, NOT_SUPPORTED

log = logging.getLogger(__name__)


class OpenRefused(Exception):
    """The worker may not open this file; the message goes back to the function."""


class ProtocolViolation(Exception):
    """The worker sent something the real runtime never sends (forged frames)."""


class OutputLimitExceeded(Exception):
    """The function's outputs grew past the output limit."""


class TaskFiles:
    def __init__(
        self,
        inputs: Mapping[str, Path],
        outputs: Mapping[str, Path],
        max_open: int,
        output_bytes: int | None,
    ) -> None:
        self._inputs = inputs
        self._outputs = outputs
        self._max_open = max_open
        self._output_bytes = output_bytes
        self._open: dict[int, tuple[str, IO[bytes]]] = {}
        self._next_handle = 1
        self.written = 0

    def open(self, name: str, mode: str) -> int:
        if mode == "rb":
            paths = self._inputs
        elif mode == "wb":
            paths = self._outputs
        else:
            raise OpenRefused(NOT_SUPPORTED)
        path = paths.get(name)
        if path is None:
            raise OpenRefused(FFI_ERROR)
        if len(self._open) >= self._max_open:
            raise OpenRefused(f"too many open files (limit {self._max_open})")
        try:
            stream = path.open(mode)
        except OSError as error:
            log.warning("cannot open task file %r for the function: %s", name, error)
            raise OpenRefused(FFI_ERROR) from None
        handle = self._next_handle
        self._next_handle += 1
        self._open[handle] = (mode, stream)
        return handle

    def read(self, handle: int, size: int) -> bytes:
        return self._stream(handle, "rb").read(size)

    def write(self, handle: int, data: bytes) -> None:
        stream = self._stream(handle, "wb")
        self.count_output(len(data))
        stream.write(data)

    def count_output(self, size: int) -> None:
        """Account ``size`` more bytes of output (files and return value together)."""
        if self._output_bytes is not None and self.written + size > self._output_bytes:
            raise OutputLimitExceeded
        self.written += size

    def close(self, handle: int) -> None:
        entry = self._open.pop(handle, None)
        if entry is None:
            raise ProtocolViolation(f"close of unknown handle {handle}")
        entry[1].close()

    def close_all(self) -> None:
        for _, stream in self._open.values():
            stream.close()
        self._open.clear()

    def _stream(self, handle: int, mode: str) -> IO[bytes]:
        entry = self._open.get(handle)
        if entry is None or entry[0] != mode:
            raise ProtocolViolation(f"{mode} request on handle {handle}")
        return entry[1]
