"""The worker's end of the pipes to the executor: blocking, one request at a time."""

from __future__ import annotations

import os
import threading

from ._protocol import HEADER, Kind, decode_header, encode_header


class ChannelClosed(Exception):
    """The executor closed its end of the pipe."""


class Channel:
    """Frames over a read and a write descriptor.

    A lock keeps request and answer together when the function uses threads.
    """

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._read_fd = read_fd
        self._write_fd = write_fd
        self._lock = threading.Lock()

    def send(self, kind: Kind, body: bytes = b"") -> None:
        with self._lock:
            self._send(kind, body)

    def receive(self) -> tuple[int, bytes]:
        with self._lock:
            return self._receive()

    def call(self, kind: Kind, body: bytes = b"") -> tuple[int, bytes]:
        """Send one frame and wait for the executor's answer."""
        with self._lock:
            self._send(kind, body)
            return self._receive()

    def _send(self, kind: Kind, body: bytes) -> None:
        # Header and body are written separately: joining them would copy a large return value.
        for part in (encode_header(kind, len(body)), body):
            data = memoryview(part)
            while data:
                written = os.write(self._write_fd, data)
                data = data[written:]

    def _receive(self) -> tuple[int, bytes]:
        kind, length = decode_header(self._read_exactly(HEADER.size))
        return kind, self._read_exactly(length)

    def _read_exactly(self, size: int) -> bytes:
        parts: list[bytes] = []
        while size:
            chunk = os.read(self._read_fd, min(size, 1 << 20))
            if not chunk:
                raise ChannelClosed
            parts.append(chunk)
            size -= len(chunk)
        return b"".join(parts)
