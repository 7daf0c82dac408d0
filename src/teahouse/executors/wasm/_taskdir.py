"""The directory a WASI module sees: the task's inputs read-only, a writable place for outputs."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import wasmtime

from teahouse.executors.wasm._abi import WASI_INPUT_DIR, WASI_OUTPUT_DIR
from teahouse.executors.wasm._files import HostFault


def usable_name(name: str) -> bool:
    """Whether a data name can be a file name inside the task directory."""
    return name not in ("", ".", "..") and "/" not in name and "\0" not in name


class TaskDirectory:
    """A private scratch directory for one WASI run, removed afterwards.

    ``inputs/<data name>`` are hard links to (or copies of) the task's input files and are
    preopened read-only as ``/inputs``; ``/outputs`` is preopened writable and starts empty.
    After a successful run each ``/outputs/<output name>`` the module created, if it is a
    regular file, replaces that output. Nothing else of the host is visible. Data names that
    cannot be file names (empty, ``.``/``..``, containing ``/``) are reachable only through
    the ``teaclave_*`` host functions.
    """

    def __init__(self, inputs: Mapping[str, Path], outputs: Mapping[str, Path], parent: Path | None) -> None:
        self._inputs = {name: path for name, path in inputs.items() if usable_name(name)}
        self._outputs = {name: path for name, path in outputs.items() if usable_name(name)}
        self._parent = parent
        self._root: Path | None = None

    def __enter__(self) -> TaskDirectory:
        self._root = Path(tempfile.mkdtemp(prefix=".wasi-", dir=self._pick_parent()))
        (self._root / "inputs").mkdir()
        (self._root / "outputs").mkdir()
        for name, source in self._inputs.items():
            target = self._root / "inputs" / name
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def preopen(self, config: wasmtime.WasiConfig) -> None:
        root = self._require_root()
        config.preopen_dir(str(root / "inputs"), WASI_INPUT_DIR, False)
        config.preopen_dir(str(root / "outputs"), WASI_OUTPUT_DIR, True)

    def collect_outputs(self) -> None:
        """Move the outputs the module wrote under ``/outputs`` to their destinations."""
        root = self._require_root()
        for name, destination in self._outputs.items():
            source = root / "outputs" / name
            try:
                mode = os.lstat(source).st_mode
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(mode):
                raise HostFault(f"{WASI_OUTPUT_DIR}/{name} is not a regular file")
            try:
                os.replace(source, destination)
            except OSError:
                shutil.copyfile(source, destination, follow_symlinks=False)

    def _pick_parent(self) -> Path | None:
        """Next to the task's own files (same file system, so inputs can be hard links)."""
        if self._parent is not None:
            return self._parent
        for path in [*self._outputs.values(), *self._inputs.values()]:
            if os.access(path.parent, os.W_OK):
                return path.parent
        return None

    def _require_root(self) -> Path:
        if self._root is None:
            raise RuntimeError("task directory is not open")
        return self._root
