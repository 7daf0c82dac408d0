"""Small stream doubles shared by the file-crypto tests."""

import io


class Unseekable(io.RawIOBase):
    """A pipe-like reader: not seekable, returns at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int = 1000) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._step, len(self._data) - self._pos)
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
