"""Picking the executor by (executor_type, executor); one executor per kind per node."""

from __future__ import annotations

import pytest

from teahouse.model import Executor, ExecutorType
from teahouse.services.execution._executors import ExecutorPool, FunctionNotAvailable

from .fakes import UpperExecutor


@pytest.mark.parametrize(
    ("executor_type", "executor", "reason"),
    [
        (ExecutorType.PYTHON, Executor.BUILTIN, "function not available: (Python, Builtin)"),
        (ExecutorType.BUILTIN, Executor.MESAPY, "function not available: (Builtin, MesaPy)"),
        (ExecutorType.WAMR, Executor.MESAPY, "function not available: (WAMicroRuntime, MesaPy)"),
    ],
)
async def test_mismatched_pairs_are_not_available(
    pool: ExecutorPool, executor_type: ExecutorType, executor: Executor, reason: str
) -> None:
    with pytest.raises(FunctionNotAvailable) as info:
        await pool.for_task(executor_type, executor)
    assert info.value.reason == reason


async def test_an_executor_is_made_and_started_once_and_closed_at_the_end(upper: UpperExecutor) -> None:
    made = 0

    def factory() -> UpperExecutor:
        nonlocal made
        made += 1
        return upper

    pool = ExecutorPool({"builtin": factory})
    first = await pool.for_task(ExecutorType.BUILTIN, Executor.BUILTIN)
    assert first is await pool.for_task(ExecutorType.BUILTIN, Executor.BUILTIN)
    assert made == 1 and upper.started == 1
    await pool.close()
    assert upper.closed == 1
    with pytest.raises(FunctionNotAvailable):
        await pool.for_task(ExecutorType.BUILTIN, Executor.BUILTIN)


async def test_a_missing_executor_package_fails_with_a_clear_reason() -> None:
    def python() -> UpperExecutor:
        raise ModuleNotFoundError("No module named 'teahouse.executors.python'")

    pool = ExecutorPool({"python": python})
    with pytest.raises(FunctionNotAvailable) as info:
        await pool.for_task(ExecutorType.PYTHON, Executor.MESAPY)
    assert info.value.reason.startswith("function not available: (Python, MesaPy): the python executor")
    assert "No module named" in info.value.reason
    with pytest.raises(FunctionNotAvailable, match=r"\(WAMicroRuntime, WAMicroRuntime\)"):
        await pool.for_task(ExecutorType.WAMR, Executor.WAMR)  # no factory at all


async def test_an_executor_that_fails_to_start_is_closed_and_tried_again_later() -> None:
    attempts: list[UpperExecutor] = []

    class Flaky(UpperExecutor):
        async def start(self) -> None:
            if len(attempts) == 1:
                raise RuntimeError("sandbox unavailable")

    def factory() -> UpperExecutor:
        attempts.append(Flaky())
        return attempts[-1]

    pool = ExecutorPool({"builtin": factory})
    with pytest.raises(FunctionNotAvailable, match="sandbox unavailable"):
        await pool.for_task(ExecutorType.BUILTIN, Executor.BUILTIN)
    assert attempts[0].closed == 1
    assert await pool.for_task(ExecutorType.BUILTIN, Executor.BUILTIN) is attempts[1]
    await pool.close()


async def test_warm_up_makes_the_named_executors_and_survives_failures(upper: UpperExecutor) -> None:
    def broken() -> UpperExecutor:
        raise RuntimeError("no wasmtime")

    pool = ExecutorPool({"builtin": lambda: upper, "wamr": broken})
    await pool.warm_up(("builtin", "wamr"))
    assert upper.started == 1
    await pool.close()


def test_the_default_factories_cover_the_three_kinds() -> None:
    from teahouse.services.execution._executors import PAIRS, default_factories

    assert set(default_factories()) == set(PAIRS.values()) == {"builtin", "python", "wamr"}
