"""The task's file table behind Teaclave's five host functions (behaviour §5.1 item 2, §5.5 item 4)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import IO

from teahouse.executors.wasm._abi import ERROR, MAX_OPENS, WRITE_HANDLE_FLAG


class HostFault(Exception):
    """The function broke the host ABI badly enough to fail the task (WAMR would trap)."""


class TaskFiles:
    """Handles for one task's inputs (read) and outputs (write).

    Handles come from a per-task counter ``n`` in 1..1023: read handles are ``n``, write
    handles ``0x40000000 | n``; a number is used only by a successful open and never reused.
    Every error is reported as -1, as in Teaclave. Two extra limits: at most ``max_open``
    handles open at once, and ``output_bytes`` in total written to all outputs (exceeding it
    raises :class:`HostFault`).
    """

    def __init__(
        self,
        inputs: Mapping[str, Path],
        outputs: Mapping[str, Path],
        *,
        max_open: int = 64,
        output_bytes: int | None = None,
    ) -> None:
        self._inputs = dict(inputs)
        self._outputs = dict(outputs)
        self._max_open = max_open
        self._output_bytes = output_bytes
        self._written = 0
        self._opened = 0
        self._open: dict[int, IO[bytes]] = {}

    def open_input(self, name: str) -> int:
        path = self._inputs.get(name)
        return ERROR if path is None else self._open_file(path, False)

    def create_output(self, name: str) -> int:
        path = self._outputs.get(name)
        return ERROR if path is None else self._open_file(path, True)

    def read(self, handle: int, size: int) -> bytes | None:
        """One read of at most ``size`` bytes (``b""`` at EOF); ``None`` on error."""
        file = self._open.get(handle)
        if file is None or handle & WRITE_HANDLE_FLAG or size < 0:
            return None
        try:
            return file.read(size)
        except OSError:
            return None

    def write(self, handle: int, data: bytes) -> int:
        file = self._open.get(handle)
        if file is None or not handle & WRITE_HANDLE_FLAG:
            return ERROR
        if self._output_bytes is not None and self._written + len(data) > self._output_bytes:
            raise HostFault(f"output limit of {self._output_bytes} bytes exceeded")
        try:
            written = file.write(data)
        except OSError:
            return ERROR
        self._written += written
        return written

    def close(self, handle: int) -> int:
        file = self._open.pop(handle, None)
        if file is None:
            return ERROR
        try:
            file.close()
        except OSError:
            return ERROR
        return 0

    def close_all(self) -> None:
        """Close whatever the function left open (flushing its outputs)."""
        for handle in list(self._open):
            self.close(handle)

    def _open_file(self, path: Path, write: bool) -> int:
        if self._opened >= MAX_OPENS or len(self._open) >= self._max_open:
            return ERROR
        try:
            file = open(path, "wb" if write else "rb")  # noqa: SIM115 - the handle outlives this call
        except OSError:
            return ERROR
        self._opened += 1
        handle = (WRITE_HANDLE_FLAG if write else 0) | self._opened
        self._open[handle] = file
        return handle
