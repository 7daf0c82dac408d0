"""Failure reasons: what the task owner reads when a function hits a limit or dies."""

from __future__ import annotations

import signal

from teahouse.executors._base import Limits
from teahouse.executors.python._process import ExitStatus


def wall_time(limits: Limits) -> str:
    return f"time limit exceeded (wall {limits.wall_time_s:.1f} s)"


def cpu_time(limits: Limits) -> str:
    return f"time limit exceeded (cpu {limits.cpu_time_s:.1f} s)"


def memory(limits: Limits) -> str:
    return f"memory limit exceeded ({(limits.memory_bytes or 0) / (1 << 20):g} MiB)"


def output(limits: Limits) -> str:
    return f"output limit exceeded ({limits.output_bytes} bytes)"


def raised(type_name: str, message: str) -> str:
    return f"{type_name}: {message}" if message else type_name


def died(status: ExitStatus, limits: Limits, boot_cpu_s: float) -> str:
    """Why a worker ended without an answer (the executor did not kill it).

    RLIMIT_CPU kills with SIGKILL (soft and hard limits are equal); the worker's CPU time, less
    what its bootstrap used, tells that apart from any other SIGKILL.
    """
    if (
        status.signal in (signal.SIGKILL, signal.SIGXCPU)
        and limits.cpu_time_s is not None
        and status.cpu_s - boot_cpu_s >= limits.cpu_time_s
    ):
        return cpu_time(limits)
    if status.signal is not None:
        return f"function was killed by {_signal_name(status.signal)}"
    if status.code is not None:
        return f"function exited with status {status.code} before returning"
    return "function ended without returning"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
