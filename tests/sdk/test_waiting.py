"""Waiting for tasks: the pure decisions, and both clients polling a scripted fake frontend."""

from __future__ import annotations

import threading

import pytest

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.sdk import (
    AsyncFrontendClient,
    FrontendClient,
    Task,
    TaskCanceled,
    TaskFailed,
    TaskResult,
    TaskStatus,
    Trust,
)
from teahouse.sdk._waiting import TaskWaiter, outcome, output_tag, result_value

from .conftest import ADMIN, Services
from .fakes import finished_task


def _task(status: TaskStatus, result: TaskResult | None = None) -> Task:
    return Task("task-1", "u", "f", "o", {}, (), (), frozenset(), frozenset(), (), (), status, result)


OK = TaskResult(ok=True, return_value=b"42", tags={"out": b"\x05" * 16})


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_waiter_reports_each_new_status_once() -> None:
    seen: list[TaskStatus] = []
    waiter = TaskWaiter("task-1", timeout=None, poll=0.5, progress=lambda t: seen.append(t.status))
    for status in (TaskStatus.Staged, TaskStatus.Staged, TaskStatus.Running, TaskStatus.Running):
        assert not waiter.done(_task(status))
        assert waiter.delay() == 0.5
    assert waiter.done(_task(TaskStatus.Finished, OK))
    assert seen == [TaskStatus.Staged, TaskStatus.Running, TaskStatus.Finished]


def test_the_waiter_times_out_naming_the_last_status() -> None:
    clock = FakeClock()
    waiter = TaskWaiter("task-7", timeout=1.0, poll=0.4, clock=clock)
    waiter.done(_task(TaskStatus.Running))
    assert waiter.delay() == 0.4
    clock.now += 0.8
    assert waiter.delay() == pytest.approx(0.2)
    clock.now += 0.2
    with pytest.raises(TimeoutError, match=r"task-7 did not end within 1 s \(last status Running\)"):
        waiter.delay()


@pytest.mark.parametrize(("poll", "timeout"), [(0, None), (-1, None), (float("nan"), None), (0.1, -1)])
def test_the_waiter_refuses_bad_settings(poll: float, timeout: float | None) -> None:
    with pytest.raises(ValueError):
        TaskWaiter("t", timeout=timeout, poll=poll)


def test_outcomes() -> None:
    assert outcome(_task(TaskStatus.Finished, OK)).result == OK
    with pytest.raises(TaskCanceled, match="Task Canceled by the user") as canceled:
        outcome(_task(TaskStatus.Canceled, TaskResult(ok=False, reason="Task Canceled by the user")))
    assert canceled.value.reason == "Task Canceled by the user"
    with pytest.raises(TaskFailed, match="Executor Timeout"):
        outcome(_task(TaskStatus.Failed, TaskResult(ok=False, reason="Runtime Error: Executor Timeout")))
    # Teaclave reports a run that failed in the executor as Finished with an error result.
    with pytest.raises(TaskFailed, match="Function not found") as failed:
        outcome(_task(TaskStatus.Finished, TaskResult(ok=False, reason="Function not found.")))
    assert failed.value.task.status is TaskStatus.Finished


def test_result_value_and_output_tags() -> None:
    done = _task(TaskStatus.Finished, OK)
    assert result_value(done) == b"42"
    assert output_tag(done, "out") == b"\x05" * 16
    with pytest.raises(ValueError, match=r"no output named 'other' \(outputs: out\)"):
        output_tag(done, "other")
    with pytest.raises(ValueError, match="has not ended"):
        output_tag(_task(TaskStatus.Running), "out")


def _status(status: int, task_id: str = "task-1") -> fe.GetTaskResponse:
    return fe.GetTaskResponse(task_id=task_id, status=status)


async def test_async_wait_returns_the_finished_task(fakes: Services, trust: Trust) -> None:
    fakes.frontend.script_tasks(
        _status(common.Staged), _status(common.Running), _status(common.Running), finished_task(value=b"hi")
    )
    seen: list[TaskStatus] = []
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        task = await client.wait_task("task-1", poll=0.01, progress=lambda t: seen.append(t.status))
    assert (
        task.status is TaskStatus.Finished and task.result is not None and task.result.return_value == b"hi"
    )
    assert seen == [TaskStatus.Staged, TaskStatus.Running, TaskStatus.Finished]
    assert len(fakes.frontend.calls) == 4


async def test_async_get_task_result_raises_for_a_canceled_task(fakes: Services, trust: Trust) -> None:
    canceled = fe.GetTaskResponse(
        task_id="task-1",
        status=common.Canceled,
        result=common.TaskResult(Err=common.TaskFailure(reason="Task canceled")),
    )
    fakes.frontend.script_tasks(_status(common.Running), canceled)
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        with pytest.raises(TaskCanceled, match="Task canceled") as info:
            await client.get_task_result("task-1", timeout=10)
    assert info.value.task.status is TaskStatus.Canceled


async def test_async_wait_times_out(fakes: Services, trust: Trust) -> None:
    fakes.frontend.script_tasks(_status(common.Running))
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        with pytest.raises(TimeoutError, match="last status Running"):
            await client.wait_task("task-1", timeout=0.1, poll=0.02)


def test_sync_wait_runs_progress_in_the_calling_thread(fakes: Services, trust: Trust) -> None:
    failed = fe.GetTaskResponse(
        task_id="task-1",
        status=common.Failed,
        result=common.TaskResult(Err=common.TaskFailure(reason="Runtime Error: Executor Timeout")),
    )
    fakes.frontend.script_tasks(_status(common.Approved), _status(common.Running), failed)
    threads: set[threading.Thread] = set()
    with (
        FrontendClient(fakes.frontend_address, trust, ADMIN) as client,
        pytest.raises(TaskFailed, match="Executor Timeout") as info,
    ):
        client.wait_task("task-1", poll=0.01, progress=lambda t: threads.add(threading.current_thread()))
    assert threads == {threading.current_thread()}
    assert info.value.reason == "Runtime Error: Executor Timeout"


def test_sync_get_task_result(fakes: Services, trust: Trust) -> None:
    fakes.frontend.script_tasks(_status(common.Staged), finished_task(value=b"Hello, Teaclave!"))
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        assert client.get_task_result("task-1", timeout=10) == b"Hello, Teaclave!"
        with pytest.raises(TimeoutError):
            fakes.frontend.script_tasks(_status(common.Created))
            client.get_task_result("task-1", timeout=0.05)
