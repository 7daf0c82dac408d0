from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from teahouse.executors import FunctionFailed, Invocation, Limits
from teahouse.executors.python import PythonExecutor, SandboxConfig

HERE = Path(__file__).parent
DATA = HERE / "data"


def payload(name: str) -> bytes:
    return (HERE / "payloads" / f"{name}.py").read_bytes()


def source(text: str) -> bytes:
    """An inline payload, dedented."""
    return textwrap.dedent(text).encode()


def invocation(
    code: bytes,
    arguments: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Path] | None = None,
    outputs: Mapping[str, Path] | None = None,
    limits: Limits | None = None,
    save_log: bool = False,
    task_id: str = "task-1",
) -> Invocation:
    return Invocation(
        task_id=task_id,
        function_name="function",
        payload=code,
        arguments=arguments or {},
        inputs=inputs or {},
        outputs=outputs or {},
        limits=limits or Limits(wall_time_s=30.0, cpu_time_s=30.0, memory_bytes=256 << 20),
        save_log=save_log,
    )


async def failure(executor: PythonExecutor, code: bytes, **kwargs: Any) -> FunctionFailed:
    """Run ``code`` and return how it failed (it must fail)."""
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(code, **kwargs))
    return failed.value


@pytest.fixture(scope="module")
async def executor() -> AsyncIterator[PythonExecutor]:
    async with PythonExecutor(SandboxConfig(pool_size=2)) as python:
        await python.start()
        yield python
