"""Fake executors, a scripted scheduler link, and staged tasks over ``file://`` URLs."""

from __future__ import annotations

import asyncio
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from teahouse.crypto.files import FileCrypto, Schema, encrypt_file
from teahouse.errors import ServiceError, TeahouseError, Unavailable
from teahouse.executors import FunctionFailed, Invocation, InvocationResult
from teahouse.model import (
    Executor,
    ExecutorCommand,
    ExecutorStatus,
    ExecutorType,
    StagedInput,
    StagedOutput,
    StagedTask,
    TaskResult,
)

KEY = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))


class UpperExecutor:
    """Writes each input, upper-cased, to the output of the same name + "_out"; records runs."""

    executor_type: ClassVar[str] = "builtin"

    def __init__(self) -> None:
        self.runs: list[Invocation] = []
        self.seen_modes: list[int] = []
        self.started = 0
        self.closed = 0
        self.block: asyncio.Event | None = None
        self.cancelled = 0
        self.fail_with: str | None = None
        self.skip_outputs = False

    async def start(self) -> None:
        self.started += 1

    async def run(self, invocation: Invocation) -> InvocationResult:
        self.runs.append(invocation)
        for path in invocation.inputs.values():
            self.seen_modes.append(stat.S_IMODE(path.parent.parent.stat().st_mode))
        if self.block is not None:
            try:
                await self.block.wait()
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
        if self.fail_with is not None:
            raise FunctionFailed(self.fail_with, ["traceback line"])
        if not self.skip_outputs:
            for name, path in invocation.inputs.items():
                out = invocation.outputs.get(f"{name}_out")
                if out is not None:
                    out.write_bytes(path.read_bytes().upper())
        logs = ["[INFO echo] hello"] if invocation.save_log else []
        return InvocationResult(f"ran {invocation.function_name}".encode(), logs)

    async def close(self) -> None:
        self.closed += 1


def encrypted_input(directory: Path, name: str, content: bytes) -> StagedInput:
    plain = directory / f"{name}.txt"
    plain.write_bytes(content)
    cipher = directory / f"{name}.enc"
    cmac = encrypt_file(KEY, plain, cipher)
    return StagedInput(cipher.as_uri(), cmac, KEY)


def staged_task(
    inputs: dict[str, StagedInput] | None = None,
    outputs: dict[str, StagedOutput] | None = None,
    *,
    arguments: dict[str, object] | None = None,
    executor_type: ExecutorType = ExecutorType.BUILTIN,
    executor: Executor = Executor.BUILTIN,
) -> StagedTask:
    return StagedTask(
        task_id=uuid.uuid4(),
        user_id="alice",
        function_id=uuid.uuid4(),
        function_name="builtin-upper",
        function_payload=b"",
        function_arguments=arguments or {"message": "hi"},  # type: ignore[arg-type]
        executor=executor,
        executor_type=executor_type,
        input_data=inputs or {},
        output_data=outputs or {},
    )


class Refused(ServiceError):
    message = "the task is not staged"


class ScriptedLink:
    """The scheduler as a node sees it: tasks to hand out, stops to send, calls recorded."""

    def __init__(self) -> None:
        self.tasks: asyncio.Queue[bytes] = asyncio.Queue()
        self.reported: asyncio.Queue[tuple[str, TaskResult]] = asyncio.Queue()
        self.started: list[str] = []
        self.watching: dict[str, asyncio.Event] = {}
        self.watch_started = asyncio.Event()
        self.refuse_start: set[str] = set()
        self.refuse_result: Callable[[TaskResult], TeahouseError | None] = lambda result: None
        self.unavailable = 0  # the next calls of any kind fail as unreachable

    def _maybe_unreachable(self) -> None:
        if self.unavailable:
            self.unavailable -= 1
            raise Unavailable("scheduler unreachable")

    async def watch(
        self, executor_id: str, status: ExecutorStatus, task_id: str, timeout: float
    ) -> tuple[ExecutorCommand, bytes]:
        self._maybe_unreachable()
        if status is ExecutorStatus.Idle:
            try:
                return ExecutorCommand.NewTask, await asyncio.wait_for(self.tasks.get(), timeout)
            except TimeoutError:
                return ExecutorCommand.NoAction, b""
        stop = self.watching.setdefault(task_id, asyncio.Event())
        self.watch_started.set()
        try:
            await asyncio.wait_for(stop.wait(), timeout)
        except TimeoutError:
            return ExecutorCommand.NoAction, b""
        return ExecutorCommand.Stop, b""

    async def update_status(self, task_id: str) -> None:
        self._maybe_unreachable()
        if task_id in self.refuse_start:
            raise Refused()
        self.started.append(task_id)

    async def update_result(self, task_id: str, result: TaskResult) -> None:
        self._maybe_unreachable()
        refusal = self.refuse_result(result)
        if refusal is not None:
            raise refusal
        self.reported.put_nowait((task_id, result))
        self.stop(task_id)  # as the scheduler does: the task ended, so its watch ends

    def stop(self, task_id: str) -> None:
        self.watching.setdefault(task_id, asyncio.Event()).set()
