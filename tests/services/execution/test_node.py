"""The node loop against a scripted scheduler: run, report, stop on cancel, retry when unreachable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from teahouse.model import StagedTask, TaskFailure, TaskOutputs, TaskResult
from teahouse.services.execution._node import INTERNAL_FAILURE, ExecutionNode
from teahouse.services.execution._runner import TaskRunner

from .fakes import Refused, ScriptedLink, UpperExecutor, staged_task


@pytest.fixture
def link() -> ScriptedLink:
    return ScriptedLink()


@pytest.fixture
async def node(link: ScriptedLink, runner: TaskRunner) -> AsyncIterator[ExecutionNode]:
    node = ExecutionNode(link, runner, name="execution-t", watch_timeout=0.2, retry_delay=0.01)
    serving = asyncio.create_task(node.serve())
    yield node
    serving.cancel()
    await asyncio.gather(serving, return_exceptions=True)


async def next_report(link: ScriptedLink) -> tuple[str, TaskResult]:
    return await asyncio.wait_for(link.reported.get(), 5)


async def test_a_task_is_started_run_and_reported(node: ExecutionNode, link: ScriptedLink) -> None:
    staged = staged_task()
    link.tasks.put_nowait(staged.to_bytes())
    task_id, result = await next_report(link)
    assert task_id == str(staged.task_id) and link.started == [task_id]
    assert result == TaskOutputs(b"ran builtin-upper")


async def test_tasks_run_one_after_another(node: ExecutionNode, link: ScriptedLink) -> None:
    tasks = [staged_task() for _ in range(3)]
    for staged in tasks:
        link.tasks.put_nowait(staged.to_bytes())
    reported = [(await next_report(link))[0] for _ in tasks]
    assert reported == [str(s.task_id) for s in tasks]


async def test_stop_cancels_that_run_only_and_the_node_takes_the_next_task(
    node: ExecutionNode, link: ScriptedLink, upper: UpperExecutor
) -> None:
    upper.block = asyncio.Event()
    endless, nxt = staged_task(), staged_task()
    link.tasks.put_nowait(endless.to_bytes())
    await asyncio.wait_for(link.watch_started.wait(), 5)
    link.stop(str(endless.task_id))
    while not upper.cancelled:
        await asyncio.sleep(0.01)
    upper.block = None
    link.tasks.put_nowait(nxt.to_bytes())
    assert (await next_report(link))[0] == str(nxt.task_id)  # nothing was reported for the canceled one


async def test_a_refused_start_skips_the_task(
    node: ExecutionNode, link: ScriptedLink, upper: UpperExecutor
) -> None:
    canceled, nxt = staged_task(), staged_task()
    link.refuse_start.add(str(canceled.task_id))
    link.tasks.put_nowait(canceled.to_bytes())
    link.tasks.put_nowait(nxt.to_bytes())
    assert (await next_report(link))[0] == str(nxt.task_id)
    assert [run.task_id for run in upper.runs] == [str(nxt.task_id)]


async def test_an_unreachable_scheduler_is_retried_without_losing_the_result(
    node: ExecutionNode, link: ScriptedLink
) -> None:
    staged = staged_task()
    link.unavailable = 3
    link.tasks.put_nowait(staged.to_bytes())
    assert (await next_report(link))[0] == str(staged.task_id)


async def test_refused_outputs_are_reported_as_the_failure(node: ExecutionNode, link: ScriptedLink) -> None:
    link.refuse_result = lambda result: (
        Refused("output 'out' already holds a result") if isinstance(result, TaskOutputs) else None
    )
    link.tasks.put_nowait(staged_task().to_bytes())
    _, result = await next_report(link)
    assert result == TaskFailure(
        "Runtime Error: the scheduler refused the result: output 'out' already holds a result"
    )


async def test_an_unexpected_error_fails_the_task_and_the_node_goes_on(link: ScriptedLink) -> None:
    class Broken:
        async def run(self, staged: StagedTask) -> TaskOutputs | TaskFailure:
            raise RuntimeError("bug")

    node = ExecutionNode(link, Broken(), watch_timeout=0.2, retry_delay=0.01)
    serving = asyncio.create_task(node.serve())
    try:
        link.tasks.put_nowait(staged_task().to_bytes())
        link.tasks.put_nowait(staged_task().to_bytes())
        assert (await next_report(link))[1] == TaskFailure(INTERNAL_FAILURE)
        assert (await next_report(link))[1] == TaskFailure(INTERNAL_FAILURE)
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)


async def test_a_task_that_does_not_decode_is_dropped(node: ExecutionNode, link: ScriptedLink) -> None:
    good = staged_task()
    link.tasks.put_nowait(b"{broken")
    link.tasks.put_nowait(good.to_bytes())
    assert (await next_report(link))[0] == str(good.task_id)


async def test_a_short_run_reports_without_ever_watching_for_a_stop(link: ScriptedLink) -> None:
    class Instant:
        async def run(self, staged: StagedTask) -> TaskOutputs | TaskFailure:
            return TaskOutputs(b"quick")

    node = ExecutionNode(link, Instant(), watch_timeout=0.2, retry_delay=0.01, watch_delay=5.0)
    serving = asyncio.create_task(node.serve())
    try:
        staged = staged_task()
        link.tasks.put_nowait(staged.to_bytes())
        assert await next_report(link) == (str(staged.task_id), TaskOutputs(b"quick"))
        assert not link.watch_started.is_set()
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
