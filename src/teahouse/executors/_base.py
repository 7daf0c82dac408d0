"""The executor interface: one small class per executor type.

The execution service prepares a task's files (download, cmac check, decryption into a private
work directory), builds an :class:`Invocation` and awaits ``executor.run(invocation)``.
Cancelling that awaitable must stop the function at once (kill its worker process, interrupt
its WebAssembly instance); the node then goes on serving. Afterwards the service encrypts and
uploads whatever the function wrote to ``invocation.outputs``.

Executors report a function's own failure by raising :class:`FunctionFailed` with a reason the
task owner can read; anything else that escapes ``run`` is a platform bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol


@dataclass(frozen=True)
class Limits:
    """Resource limits for one function run. ``None`` means "no limit of this kind"."""

    wall_time_s: float | None = 300.0
    cpu_time_s: float | None = 300.0
    memory_bytes: int | None = 1 << 30
    output_bytes: int | None = 1 << 30
    open_files: int = 64


@dataclass(frozen=True)
class Invocation:
    """Everything an executor needs to run one task's function.

    ``inputs`` maps each assigned input name to a plaintext file (read only); ``outputs`` maps
    each assigned output name to the path where the function's plaintext output goes. Optional
    inputs and outputs that were not assigned are absent from the maps.
    """

    task_id: str
    function_name: str
    payload: bytes
    arguments: Mapping[str, Any]
    inputs: Mapping[str, Path]
    outputs: Mapping[str, Path]
    limits: Limits = field(default_factory=Limits)
    save_log: bool = False


@dataclass
class InvocationResult:
    """What a successful run produced besides its output files."""

    return_value: bytes
    log: list[str] = field(default_factory=list)


class FunctionFailed(Exception):
    """The function itself failed (raised, trapped, hit a limit, bad arguments or input).

    ``reason`` becomes the task's failure reason; ``log`` carries any captured lines
    (for example a Python traceback).
    """

    def __init__(self, reason: str, log: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log or []


class Executor(Protocol):
    """One executor type (``builtin``, ``python``, ``wamr``)."""

    executor_type: ClassVar[str]

    async def run(self, invocation: Invocation) -> InvocationResult: ...

    async def close(self) -> None: ...
