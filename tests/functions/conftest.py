"""Fixtures for the builtin tests: the plaintext data, a shared executor and two ways to run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from teahouse.executors import Invocation, InvocationResult, Limits
from teahouse.executors.builtin import BuiltinExecutor
from teahouse.functions import BuiltinOutcome, FunctionError, run_builtin

FIXTURES = Path(__file__).parent / "fixtures"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def executor() -> AsyncIterator[BuiltinExecutor]:
    running = BuiltinExecutor(warm_workers=1)
    await running.start()
    yield running
    await running.close()


@dataclass
class Files:
    """Inputs from the fixtures directory (or given paths) and outputs in a temporary directory."""

    tmp: Path

    def inputs(self, mapping: Mapping[str, str | Path]) -> dict[str, Path]:
        return {
            name: value if isinstance(value, Path) else FIXTURES / value for name, value in mapping.items()
        }

    def outputs(self, *names: str) -> dict[str, Path]:
        return {name: self.tmp / name for name in names}

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.tmp / f"in-{name}"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    def read(self, name: str) -> str:
        return (self.tmp / name).read_text()


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path)


async def invoke(
    executor: BuiltinExecutor,
    name: str,
    arguments: Mapping[str, Any],
    inputs: Mapping[str, Path] | None = None,
    outputs: Mapping[str, Path] | None = None,
    *,
    save_log: bool = False,
    limits: Limits | None = None,
) -> InvocationResult:
    invocation = Invocation(
        task_id="task-test",
        function_name=name,
        payload=b"",
        arguments=arguments,
        inputs=inputs or {},
        outputs=outputs or {},
        limits=limits or Limits(),
        save_log=save_log,
    )
    return await executor.run(invocation)


def call(
    name: str,
    arguments: Mapping[str, Any],
    inputs: Mapping[str, Path] | None = None,
    outputs: Mapping[str, Path] | None = None,
) -> BuiltinOutcome:
    """Run a builtin in this process (fast; for the many argument and input checks)."""
    return run_builtin(name, arguments=arguments, inputs=inputs or {}, outputs=outputs or {})


def failure(
    name: str,
    arguments: Mapping[str, Any],
    inputs: Mapping[str, Path] | None = None,
    outputs: Mapping[str, Path] | None = None,
) -> str:
    """The reason a builtin fails with (the test fails if it succeeds)."""
    with pytest.raises(FunctionError) as caught:
        call(name, arguments, inputs, outputs)
    return caught.value.reason
