"""WebAssembly functions (executor type ``wamr``) on wasmtime, with Teaclave's host ABI.

Two flavours, chosen by what the module imports and exports (see :func:`validate_payload`):

* **Teaclave** (as WAMR ran it): the module exports ``entrypoint(argc, argv)`` and imports at
  most the five ``env.teaclave_*`` file functions. argv holds the flattened arguments
  (keys sorted, each followed by its value), copied into fresh pages grown at the end of the
  module's memory; the i32 result, in decimal, is the return value.
* **WASI** (preview 1): a module that exports ``_start`` (a command) or imports
  ``wasi_snapshot_preview1``. argv is the same flattened list (so ``argv[1]`` is the first
  value, as with ``entrypoint``). Inputs are read-only files under ``/inputs/<data name>``;
  outputs are written to ``/outputs/<data name>``; nothing else of the host is visible, and
  the ``env.teaclave_*`` functions work too. A command's return value is its stdout (a
  non-zero exit status fails the task); a module that exports ``entrypoint`` instead is
  called like a Teaclave one. stdout and stderr become log lines when ``save_log`` is set.

Each run gets a private engine so that its epoch can interrupt it alone (cancellation, the
time limit, a fault in a host function); memory is capped per store; compiled code is
cached by payload digest. A trap fails the task with the trap's message.
"""

from teahouse.executors._argv import flatten_arguments
from teahouse.executors.wasm._cache import CacheStats, CompiledModule, ModuleCache
from teahouse.executors.wasm._executor import WasmExecutor
from teahouse.executors.wasm._inspect import Flavour, validate_payload

__all__ = [
    "CacheStats",
    "CompiledModule",
    "Flavour",
    "ModuleCache",
    "WasmExecutor",
    "flatten_arguments",
    "validate_payload",
]
