"""The builtin executor: worker processes, cancellation, limits, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from teahouse.executors import FunctionFailed, Invocation, InvocationResult, Limits
from teahouse.executors._builtin_worker import Job, execute
from teahouse.executors.builtin import BuiltinExecutor
from teahouse.functions import Builtin, FunctionError, _registry, run_builtin
from teahouse.functions import _builtin as builtin_module
from teahouse.functions._args import NoArguments

FIXTURES = Path(__file__).parents[1] / "functions" / "fixtures"
ENDLESS_GBDT = {
    "feature_size": 4,
    "max_depth": 4,
    "iterations": 10**7,
    "shrinkage": 0.1,
    "feature_sample_ratio": 1.0,
    "data_sample_ratio": 1.0,
    "min_leaf_size": 1,
    "loss": "LAD",
    "training_optimization_level": 2,
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def executor() -> AsyncIterator[BuiltinExecutor]:
    running = BuiltinExecutor(warm_workers=1)
    await running.start()
    yield running
    await running.close()


def invocation(
    name: str,
    arguments: dict[str, Any],
    tmp: Path,
    limits: Limits | None = None,
    inputs: dict[str, Path] | None = None,
    outputs: tuple[str, ...] = (),
) -> Invocation:
    return Invocation(
        task_id="task-1",
        function_name=name,
        payload=b"",
        arguments=arguments,
        inputs=inputs or {},
        outputs={name: tmp / name for name in outputs},
        limits=limits or Limits(),
        save_log=True,
    )


def endless(tmp: Path, limits: Limits | None = None) -> Invocation:
    return invocation(
        "builtin-gbdt-train",
        ENDLESS_GBDT,
        tmp,
        limits,
        {"training_data": FIXTURES / "gbdt_train.txt"},
        ("trained_model",),
    )


async def echo(executor: BuiltinExecutor, tmp: Path) -> InvocationResult:
    return await executor.run(invocation("builtin-echo", {"message": "still serving"}, tmp))


async def test_cancelling_a_run_kills_its_worker_and_the_executor_keeps_serving(
    executor: BuiltinExecutor, tmp_path: Path
) -> None:
    task = asyncio.create_task(executor.run(endless(tmp_path)))
    await asyncio.sleep(1.0)  # the worker is now deep in training
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    killed = executor._dying[-1].process
    killed.join(timeout=5)
    assert killed.exitcode is not None and killed.exitcode < 0  # killed by a signal, not finished
    assert (await echo(executor, tmp_path)).return_value == b"still serving"


async def test_wall_time_limit(executor: BuiltinExecutor, tmp_path: Path) -> None:
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(endless(tmp_path, Limits(wall_time_s=0.5)))
    assert caught.value.reason == "wall time limit of 0.5 s exceeded"
    assert (await echo(executor, tmp_path)).return_value == b"still serving"


async def test_cpu_time_limit(executor: BuiltinExecutor, tmp_path: Path) -> None:
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(endless(tmp_path, Limits(cpu_time_s=1)))
    assert caught.value.reason == "cpu time limit of 1 s exceeded"


async def test_memory_limit(executor: BuiltinExecutor, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("1.5,2.5,1\n" * 400_000)  # about 200 MB once parsed into Python floats
    run = invocation(
        "builtin-logistic-regression-train",
        {"alg_alpha": 0.1, "alg_iters": 1, "feature_size": 2},
        tmp_path,
        Limits(memory_bytes=200 << 20),
        {"training_data": big},
        ("model_file",),
    )
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(run)
    assert caught.value.reason == f"memory limit of {200 << 20} bytes exceeded"


async def test_output_limit(executor: BuiltinExecutor, tmp_path: Path) -> None:
    run = invocation(
        "builtin-gbdt-train",
        {**ENDLESS_GBDT, "iterations": 2},
        tmp_path,
        Limits(output_bytes=100),
        {"training_data": FIXTURES / "gbdt_train.txt"},
        ("trained_model",),
    )
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(run)
    assert caught.value.reason == "output trained_model exceeds the output limit of 100 bytes"


async def test_unknown_function(executor: BuiltinExecutor, tmp_path: Path) -> None:
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(invocation("builtin-nope", {}, tmp_path))
    assert caught.value.reason.startswith("Function not found.")


async def test_function_failure_carries_reason_and_log(executor: BuiltinExecutor, tmp_path: Path) -> None:
    run = invocation(
        "builtin-gbdt-train",
        {**ENDLESS_GBDT, "iterations": 1, "loss": "Huber"},
        tmp_path,
        inputs={"training_data": FIXTURES / "lr_predict_input.txt"},
        outputs=("trained_model",),
    )
    with pytest.raises(FunctionFailed) as caught:
        await executor.run(run)
    assert (
        caught.value.reason == "input training_data line 1: Data format error: column len = 30, expected = 5"
    )
    assert caught.value.log == [
        "[WARN teaclave_function::gbdt_train] unsupported loss 'Huber', set to default(SquaredError)"
    ]


async def test_concurrent_runs_each_get_a_worker(executor: BuiltinExecutor, tmp_path: Path) -> None:
    results = await asyncio.gather(
        *[executor.run(invocation("builtin-echo", {"message": str(i)}, tmp_path)) for i in range(3)]
    )
    assert [r.return_value for r in results] == [b"0", b"1", b"2"]


async def test_a_closed_executor_refuses_work(tmp_path: Path) -> None:
    fresh = BuiltinExecutor(warm_workers=0)
    assert (await fresh.run(invocation("builtin-echo", {"message": "x"}, tmp_path))).return_value == b"x"
    await fresh.close()
    with pytest.raises(RuntimeError, match="closed"):
        await fresh.run(invocation("builtin-echo", {"message": "x"}, tmp_path))


def test_a_builtin_bug_fails_the_task_instead_of_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(rt: Any) -> str:
        return str(1 // 0)

    monkeypatch.setitem(_registry.BUILTINS, "builtin-echo", Builtin("builtin-echo", NoArguments, broken, "t"))
    job = Job("builtin-echo", {}, {}, {}, Limits(), save_log=False)
    assert execute(job) == (
        "failed",
        "builtin-echo failed unexpectedly: ZeroDivisionError: integer division or modulo by zero",
        [],
    )


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtin_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FunctionError) as caught:
        run_builtin("builtin-gbdt-predict", arguments={}, inputs={}, outputs={})
    assert caught.value.reason.endswith("install teahouse[ml]")
    with pytest.raises(FunctionError) as caught:
        run_builtin("builtin-face-detection", arguments={"image": [255, 216, 255]}, inputs={}, outputs={})
    assert caught.value.reason.endswith("install teahouse[face]")
