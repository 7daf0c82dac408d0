"""The execution service on its own: a standalone TEE executor (``teahouse executor serve``).

Teaclave describes its execution service as usable alone, as a TEE Python executor. Here a
client sends a payload, its arguments and its input files inside the attested connection; the
function runs in the same sandboxed executors as platform tasks, in a private directory removed
afterwards, and the return value, the outputs it wrote and its log come back in the answer.
Nothing is stored.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teahouse.errors import InvalidArgument
from teahouse.executors import FunctionFailed, Invocation, Limits
from teahouse.services.execution._executors import ExecutorPool
from teahouse.services.execution._workdir import task_dir

#: Executor type names a client may give → the node's executor kind.
KINDS = {"": "python", "python": "python", "mesapy": "python", "builtin": "builtin", "wamr": "wamr"}


@dataclass(frozen=True)
class StandaloneRun:
    executor_type: str
    function_name: str
    payload: bytes
    arguments: Mapping[str, Any]
    inputs: Mapping[str, bytes]
    outputs: tuple[str, ...]
    save_log: bool = False


@dataclass
class StandaloneResult:
    ok: bool
    return_value: bytes = b""
    outputs: dict[str, bytes] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    failure_reason: str = ""


def check(run: StandaloneRun) -> str:
    """The executor kind of a valid request; raises InvalidArgument naming what is wrong."""
    kind = KINDS.get(run.executor_type)
    if kind is None:
        raise InvalidArgument(
            f"executor_type: unknown value {run.executor_type!r} (expected python, builtin or wamr)"
        )
    if kind == "builtin" and not run.function_name:
        raise InvalidArgument("function_name: a builtin run needs the builtin's name")
    if kind != "builtin" and not run.payload:
        raise InvalidArgument("payload: empty")
    names = [*run.inputs, *run.outputs]
    if any(not n for n in names):
        raise InvalidArgument("inputs/outputs: a file needs a name")
    if len(set(run.outputs)) != len(run.outputs) or set(run.inputs) & set(run.outputs):
        raise InvalidArgument("inputs/outputs: every file name must be used once")
    return kind


class StandaloneExecutor:
    def __init__(self, executors: ExecutorPool, work_root: Path, limits: Limits) -> None:
        self._executors = executors
        self._root = work_root
        self._limits = limits

    async def run(self, run: StandaloneRun) -> StandaloneResult:
        kind = check(run)
        try:
            executor = await self._executors.get(kind)
        except Exception as exc:  # noqa: BLE001 - the client learns why
            return StandaloneResult(False, failure_reason=f"the {kind} executor cannot run here ({exc})")
        run_id = f"standalone-{uuid.uuid4()}"
        with task_dir(self._root, run_id) as work:
            inputs = await asyncio.to_thread(_write_inputs, work / "inputs", run.inputs)
            outputs_dir = work / "outputs"
            outputs_dir.mkdir(mode=0o700)
            outputs = {name: outputs_dir / str(i) for i, name in enumerate(run.outputs)}
            invocation = Invocation(
                task_id=run_id,
                function_name=run.function_name,
                payload=run.payload,
                arguments=run.arguments,
                inputs=inputs,
                outputs=outputs,
                limits=self._limits,
                save_log=run.save_log,
            )
            try:
                result = await executor.run(invocation)
            except FunctionFailed as exc:
                return StandaloneResult(False, log=list(exc.log), failure_reason=exc.reason)
            written = await asyncio.to_thread(_read_outputs, outputs)
        return StandaloneResult(True, result.return_value, written, list(result.log))


def _write_inputs(directory: Path, inputs: Mapping[str, bytes]) -> dict[str, Path]:
    directory.mkdir(mode=0o700)
    paths = {}
    for i, (name, content) in enumerate(sorted(inputs.items())):
        paths[name] = directory / str(i)
        paths[name].write_bytes(content)
    return paths


def _read_outputs(outputs: Mapping[str, Path]) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in outputs.items() if path.is_file()}
