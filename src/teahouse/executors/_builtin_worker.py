"""The child side of the builtin executor: one worker process runs one builtin and exits.

A worker starts warm (the function library and numpy already imported), waits for one job on
its pipe, applies the job's resource limits to itself, runs the builtin and sends back
``("ok", return_value, log)`` or ``("failed", reason, log)``.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from teahouse.executors._base import Limits


@dataclass(frozen=True)
class Job:
    """One builtin run, as sent to a worker (plain data, picklable)."""

    function_name: str
    arguments: dict[str, Any]
    inputs: dict[str, Path]
    outputs: dict[str, Path]
    limits: Limits
    save_log: bool


def warm_up() -> None:
    """Import what every builtin needs (numpy only if the ``ml`` extra is installed)."""
    # One task per worker and several workers side by side: keep BLAS single-threaded.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    import teahouse.functions  # noqa: F401

    with contextlib.suppress(ImportError):
        import numpy  # noqa: F401


def _highest_fd() -> int:
    try:
        return max(int(name) for name in os.listdir("/proc/self/fd"))
    except (OSError, ValueError):
        return 64


def apply_limits(limits: Limits) -> None:
    """Limit this process: address space, CPU seconds (on top of what it used so far), files."""
    if limits.memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    if limits.cpu_time_s is not None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + limits.cpu_time_s)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
    files = max(limits.open_files, _highest_fd() + 8)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(files, hard), hard))


def execute(job: Job) -> tuple[str, str, list[str]]:
    """Run the job here; never raises (every failure becomes a ``failed`` message)."""
    from teahouse.functions import FunctionError, run_builtin

    try:
        outcome = run_builtin(
            job.function_name,
            arguments=job.arguments,
            inputs=job.inputs,
            outputs=job.outputs,
            save_log=job.save_log,
            output_limit=job.limits.output_bytes,
        )
    except FunctionError as error:
        return "failed", error.reason, error.log
    except MemoryError:
        return "failed", f"memory limit of {job.limits.memory_bytes} bytes exceeded", []
    except RecursionError:
        return "failed", f"{job.function_name}: recursion too deep", []
    except Exception as error:  # noqa: BLE001 - a builtin's bug must fail its task, not the node
        return "failed", f"{job.function_name} failed unexpectedly: {type(error).__name__}: {error}", []
    return "ok", outcome.return_value, outcome.log


def worker_main(connection: Connection) -> None:
    """Entry point of a worker process."""
    warm_up()
    try:
        connection.send("ready")
        job: Job = connection.recv()
    except (EOFError, OSError):
        return  # the pool closed before giving this worker a job
    apply_limits(job.limits)
    result = execute(job)
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("failed", f"memory limit of {job.limits.memory_bytes} bytes exceeded", []))
    connection.close()
