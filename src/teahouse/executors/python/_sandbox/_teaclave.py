"""MesaPy's file API for the function: ``teaclave_open`` and the ``teaclave`` module.

Files are streamed over the channel: the executor opens the task's files and the worker asks
for chunks, so the worker itself never holds a file descriptor of the task. Error strings are
MesaPy's (behaviour §5.4): ``Teaclave Not Supported`` for a mode other than ``rb``/``wb`` and
``fileio_init: teaclave_ffi_error`` for a name that is not one of the task's files.
"""

from __future__ import annotations

import builtins
import errno
import io
import sys
import types
from collections.abc import Iterable
from typing import Any

from ._channel import Channel
from ._protocol import CHUNK, HANDLE, READ_REQUEST, Kind, dump_json

NOT_SUPPORTED = "Teaclave Not Supported"
FFI_ERROR = "fileio_init: teaclave_ffi_error"


def mesapy_error(message: str) -> RuntimeError:
    """A RuntimeError that also has MesaPy's (Python 2) ``message`` attribute."""
    error = RuntimeError(message)
    error.message = message  # type: ignore[attr-defined]
    return error


class _InputStream(io.RawIOBase):
    """The raw side of an input file; wrapped in a BufferedReader for lines and iteration."""

    def __init__(self, channel: Channel, handle: int, name: str) -> None:
        super().__init__()
        self._channel = channel
        self._handle = handle
        self.name = name
        self.mode = "rb"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), CHUNK)
        kind, body = self._channel.call(Kind.READ, READ_REQUEST.pack(self._handle, wanted))
        if kind != Kind.DATA:
            raise OSError(errno.EIO, body.decode("utf-8", "replace"))
        view[: len(body)] = body
        return len(body)

    def close(self) -> None:
        if not self.closed:
            self._channel.send(Kind.CLOSE, HANDLE.pack(self._handle))
        super().close()


class TeaclaveWriter:
    """An output file. Accepts bytes, and ``str`` as UTF-8 for payloads written for Python 2."""

    mode = "wb"

    def __init__(self, channel: Channel, handle: int, name: str) -> None:
        self._channel = channel
        self._handle = handle
        self._pending = bytearray()
        self.name = name
        self.closed = False

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        chunk = data.encode("utf-8") if isinstance(data, str) else bytes(memoryview(data))
        self._pending += chunk
        if len(self._pending) >= CHUNK:
            self.flush()
        return len(data)

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        while self._pending:
            piece = bytes(self._pending[:CHUNK])
            del self._pending[:CHUNK]
            self._channel.send(Kind.WRITE, HANDLE.pack(self._handle) + piece)

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self._channel.send(Kind.CLOSE, HANDLE.pack(self._handle))
            self.closed = True

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def __enter__(self) -> TeaclaveWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def make_open(channel: Channel) -> Any:
    def teaclave_open(name: Any, mode: str = "rb") -> Any:
        """Open one of the task's files by its data name: ``rb`` for inputs, ``wb`` for outputs."""
        if mode not in ("rb", "wb"):
            raise mesapy_error(NOT_SUPPORTED)
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        if not isinstance(name, str):
            raise mesapy_error(FFI_ERROR)
        kind, body = channel.call(Kind.OPEN, dump_json({"name": name, "mode": mode}))
        if kind != Kind.OK:
            raise mesapy_error(body.decode("utf-8", "replace"))
        (handle,) = HANDLE.unpack(body)
        if mode == "wb":
            return TeaclaveWriter(channel, handle, name)
        return io.BufferedReader(_InputStream(channel, handle, name), buffer_size=CHUNK)

    return teaclave_open


def install(channel: Channel) -> None:
    """Make ``teaclave_open`` a builtin and ``from teaclave import open`` work."""
    teaclave_open = make_open(channel)
    builtins.teaclave_open = teaclave_open  # type: ignore[attr-defined]
    module = types.ModuleType("teaclave", "Teaclave's file API for functions (MesaPy compatible).")
    module.open = teaclave_open  # type: ignore[attr-defined]
    sys.modules["teaclave"] = module
