"""Run the function: compile the payload, call ``entrypoint(argv)``, send back the outcome."""

from __future__ import annotations

import builtins
import contextlib
import linecache
import sys
import traceback
from types import TracebackType
from typing import Any

from . import _limits
from ._channel import Channel
from ._protocol import Kind, dump_json

FILENAME = "<payload>"
# Together well under MAX_FAILURE once JSON-escaped.
MAX_MESSAGE = 4096
MAX_LINE = 2048
MAX_TRACEBACK = 32 * 1024


class PayloadError(Exception):
    """The payload is not a MesaPy-style function."""


def run(channel: Channel, payload: bytes, argv: list[str]) -> None:
    try:
        value = _call(payload, argv)
    except BaseException as error:  # noqa: BLE001 - every failure of the function is its result
        if isinstance(error, MemoryError):
            _limits.release_reserve()
        _flush_stdio()
        channel.send(Kind.RAISE, dump_json(_describe(error)))
        return
    _flush_stdio()
    channel.send(Kind.RETURN, value)


def _call(payload: bytes, argv: list[str]) -> bytes:
    source = payload.decode("utf-8", "replace")
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(keepends=True), FILENAME)
    code = compile(payload, FILENAME, "exec", dont_inherit=True)
    namespace: dict[str, Any] = {"__name__": "__payload__", "__builtins__": builtins}
    exec(code, namespace)
    entrypoint = namespace.get("entrypoint")
    if not callable(entrypoint):
        raise PayloadError("the payload does not define entrypoint(argv)")
    return to_bytes(entrypoint(list(argv)))


def to_bytes(value: Any) -> bytes:
    """MesaPy's conversion of the return value: None is empty, text is UTF-8."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def _describe(error: BaseException) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "message": str(error)[:MAX_MESSAGE],
        "traceback": _traceback(error),
        "memory": isinstance(error, MemoryError),
    }


def _traceback(error: BaseException) -> str:
    """The traceback, with long lines cut and, if still too long, its middle left out."""
    text = "".join(traceback.format_exception(type(error), error, _user_frames(error.__traceback__)))
    lines = [line if len(line) <= MAX_LINE else line[:MAX_LINE] + " [...]" for line in text.splitlines()]
    text = "\n".join(lines)
    if len(text) > MAX_TRACEBACK:
        head, tail = text[: MAX_TRACEBACK // 4], text[-(MAX_TRACEBACK * 3 // 4) :]
        text = f"{head}\n[... {len(text) - len(head) - len(tail)} characters left out ...]\n{tail}"
    return text


def _user_frames(tb: TracebackType | None) -> TracebackType | None:
    """Drop this module's own frames from the top of a traceback."""
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return tb


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        # The function may have closed or broken its own stdout; its output is its business.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
