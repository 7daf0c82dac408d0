"""What a running builtin sees: its typed arguments, its files and its logger.

Teaclave's runtime gives a function ``open_input(name)`` and ``create_output(name)`` over the
task's staged files; this one adds line reading with Rust's rules (and reasons that name the
input and the line), an output-size cap and a logger whose lines are kept when the task asked
for ``save_log``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

from teahouse.functions._args import decode_arguments
from teahouse.functions._errors import FunctionError
from teahouse.functions._text import split_lines

A = TypeVar("A")


class FunctionLog:
    """Log lines in Teaclave's form ``[<LEVEL> <target>] <message>``, kept only when enabled."""

    def __init__(self, target: str, enabled: bool) -> None:
        self.target = target
        self.enabled = enabled
        self.lines: list[str] = []

    def _emit(self, level: str, message: str) -> None:
        if self.enabled:
            self.lines.append(f"[{level} {self.target}] {message}")

    def info(self, message: str) -> None:
        self._emit("INFO", message)

    def warn(self, message: str) -> None:
        self._emit("WARN", message)

    def error(self, message: str) -> None:
        self._emit("ERROR", message)


class _CappedWriter(io.RawIOBase):
    """A write-only file that fails the task once more than ``limit`` bytes were written."""

    def __init__(self, file: BinaryIO, name: str, limit: int | None) -> None:
        super().__init__()
        self._file = file
        self._name = name
        self._limit = limit
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._written += len(view)
        if self._limit is not None and self._written > self._limit:
            raise FunctionError(f"output {self._name} exceeds the output limit of {self._limit} bytes")
        return self._file.write(view)

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


class FunctionRuntime(Generic[A]):
    """The arguments, files and logger of one builtin run."""

    def __init__(
        self,
        *,
        arguments: Mapping[str, Any],
        argument_type: type[A],
        inputs: Mapping[str, Path],
        outputs: Mapping[str, Path],
        log: FunctionLog,
        output_limit: int | None = None,
    ) -> None:
        self._raw_arguments = arguments
        self._argument_type = argument_type
        self._args: A | None = None
        self._inputs = inputs
        self._outputs = outputs
        self._output_limit = output_limit
        self.log = log

    @property
    def args(self) -> A:
        """The typed arguments, decoded on first use (so each builtin keeps Teaclave's order)."""
        if self._args is None:
            self._args = decode_arguments(self._argument_type, self._raw_arguments)
        return self._args

    def open_input(self, name: str) -> BinaryIO:
        """A fresh reader of input ``name``; each call gives an independent reader."""
        path = self._inputs.get(name)
        if path is None:
            raise FunctionError(f"Invalid input file identifier. (no input named {name!r})")
        return open(path, "rb")

    def read_input(self, name: str) -> bytes:
        with self.open_input(name) as file:
            return file.read()

    def input_lines(self, name: str) -> Iterator[tuple[int, str]]:
        """``(line_number, text)`` of input ``name`` as Rust's ``BufRead::lines`` splits it."""
        for number, raw in split_lines(self.read_input(name)):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                reason = f"input {name} line {number}: stream did not contain valid UTF-8"
                raise FunctionError(reason) from None

    def create_output(self, name: str) -> BinaryIO:
        """Create (or truncate) output ``name`` for writing."""
        path = self._outputs.get(name)
        if path is None:
            raise FunctionError(f"Invalid output file identifier (no output named {name!r})")
        writer = _CappedWriter(open(path, "wb"), name, self._output_limit)  # noqa: SIM115
        return io.BufferedWriter(writer)  # type: ignore[return-value]
