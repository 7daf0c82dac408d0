"""The WASI flavour: argv, captured stdout/stderr, the task directory, a stoppable sleep."""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import wasmtime

from teahouse.executors.wasm._capture import StreamCapture
from teahouse.executors.wasm._control import RunControl
from teahouse.executors.wasm._poll import define_poll_oneoff
from teahouse.executors.wasm._taskdir import TaskDirectory

log = logging.getLogger(__name__)

#: stdout is a command's return value, so it is bounded like one; stderr only feeds the log.
STDOUT_LIMIT = 1 << 20
STDERR_LIMIT = 1 << 20


class WasiEnvironment:
    """Everything a WASI run needs besides the module, as a context manager.

    ``stdout_is_result`` makes overflowing stdout a failure (a command's stdout is its
    return value); otherwise overflowing output is cut off.
    """

    def __init__(
        self,
        inputs: Mapping[str, Path],
        outputs: Mapping[str, Path],
        control: RunControl,
        *,
        stdout_is_result: bool,
        scratch_dir: Path | None = None,
    ) -> None:
        self._control = control
        reason = f"stdout exceeds {STDOUT_LIMIT} bytes"
        on_overflow = (lambda: control.stop(reason)) if stdout_is_result else None
        self.stdout = StreamCapture(STDOUT_LIMIT, on_overflow)
        self.stderr = StreamCapture(STDERR_LIMIT)
        self._directory = TaskDirectory(inputs, outputs, scratch_dir)
        self._installed = False

    def __enter__(self) -> WasiEnvironment:
        self._directory.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._directory.__exit__(exc_type, exc, tb)

    def install(self, linker: wasmtime.Linker, store: wasmtime.Store, argv: list[str]) -> None:
        """Give ``store`` its WASI context and ``linker`` the WASI functions."""
        config = wasmtime.WasiConfig()
        config.argv = argv
        config.stdout_custom = self.stdout.writer()
        config.stderr_custom = self.stderr.writer()
        self._directory.preopen(config)
        store.set_wasi(config)
        self._installed = True
        linker.define_wasi()
        define_poll_oneoff(linker, self._control.stopped, self._control.stop)

    def finish(self, *, collect_outputs: bool) -> None:
        """After the store is gone: wait for wasmtime to let go of the streams, move outputs."""
        if self._installed:
            for capture in (self.stdout, self.stderr):
                if not capture.wait_released(0.2):
                    gc.collect()  # in case a reference cycle still holds the store
                    if not capture.wait_released(2.0):
                        log.warning("wasmtime did not release a WASI output stream in time")
        if collect_outputs:
            self._directory.collect_outputs()

    def log_lines(self) -> list[str]:
        lines = [f"[INFO wasi::stdout] {line}" for line in self.stdout.lines()]
        if self.stdout.overflowed:
            lines.append(f"[WARN wasi::stdout] (cut off after {STDOUT_LIMIT} bytes)")
        lines += [f"[WARN wasi::stderr] {line}" for line in self.stderr.lines()]
        if self.stderr.overflowed:
            lines.append(f"[WARN wasi::stderr] (cut off after {STDERR_LIMIT} bytes)")
        return lines
