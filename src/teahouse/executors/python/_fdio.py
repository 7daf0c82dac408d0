"""Asynchronous reads and writes on the non-blocking pipe descriptors of a worker."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

_READ_SIZE = 256 * 1024


async def wait_readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    await _ready(fd, loop.add_reader, loop.remove_reader, loop)


async def wait_writable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    await _ready(fd, loop.add_writer, loop.remove_writer, loop)


async def _ready(
    fd: int, add: Callable[..., Any], remove: Callable[[int], object], loop: asyncio.AbstractEventLoop
) -> None:
    waiter: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not waiter.done():
            waiter.set_result(None)

    add(fd, wake)
    try:
        await waiter
    finally:
        remove(fd)


class PipeReader:
    """Buffered reads from one pipe; owns (and closes) the descriptor."""

    def __init__(self, fd: int) -> None:
        os.set_blocking(fd, False)
        self._fd = fd
        self._buffer = bytearray()
        self._eof = False

    async def read_exactly(self, size: int) -> bytes:
        """Read ``size`` bytes; raise EOFError if the pipe ends first."""
        while len(self._buffer) < size:
            if self._eof:
                raise EOFError
            await self._fill()
        with memoryview(self._buffer) as view:
            data = bytes(view[:size])
        del self._buffer[:size]
        return data

    async def read_some(self) -> bytes:
        """Whatever is available (at least one byte), or b"" at end of file."""
        if not self._buffer and not self._eof:
            await self._fill()
        data = bytes(self._buffer)
        self._buffer.clear()
        return data

    async def _fill(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, _READ_SIZE)
            except BlockingIOError:
                await wait_readable(self._fd)
                continue
            if chunk:
                self._buffer += chunk
            else:
                self._eof = True
            return

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class PipeWriter:
    """Writes to one pipe; owns (and closes) the descriptor. BrokenPipeError if the reader left."""

    def __init__(self, fd: int) -> None:
        os.set_blocking(fd, False)
        self._fd = fd

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                await wait_writable(self._fd)
                continue
            view = view[written:]

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
