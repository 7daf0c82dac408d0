"""Resource limits of the worker: fixed ones at start, the task's own once the task arrives."""

from __future__ import annotations

import math
import os
import resource

# Address space kept back above the task's memory limit, so that after a MemoryError the
# worker can still format and send the failure.
REPORT_RESERVE = 16 << 20


def fixed(open_files: int, threads: int | None) -> None:
    """No core dumps, no file writes, few descriptors and (with a uid of its own) few threads."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
    if threads is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (threads, threads))


def address_space_in_use() -> int:
    """The current size of the address space (must be read before the filter is loaded)."""
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def for_task(cpu_time_s: float | None, memory_bytes: int | None, baseline: int) -> None:
    """Apply a task's CPU and memory limits.

    CPU time counts from the worker's start, so the limit is what was already used plus the
    task's allowance, rounded up to whole seconds (the kernel's unit). Soft and hard limits are
    equal, so the kernel sends SIGKILL at once: a PID-namespace init ignores SIGXCPU, and a
    function could catch it. Memory is the address space the function may add to the baseline
    of the interpreter and the modules loaded before it.
    """
    if cpu_time_s is not None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        seconds = math.ceil(usage.ru_utime + usage.ru_stime + cpu_time_s)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    if memory_bytes is not None:
        soft = baseline + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (soft, soft + REPORT_RESERVE))


def release_reserve() -> None:
    """Raise the soft address-space limit to the hard one, to report a MemoryError."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
