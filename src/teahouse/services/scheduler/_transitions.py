"""The scheduler's task state changes (spec/behaviour.md §1.4, the scheduler columns).

Each runs inside an optimistic transaction (``teahouse.kv.run_transaction``), so a concurrent
management update of the same task (a cancel, say) makes it re-run on fresh values rather than
be overwritten.
"""

from __future__ import annotations

import dataclasses
import uuid

from teahouse.kv import Transaction
from teahouse.model import NOT_READY, OutputFile, TaskFailure, TaskOutputs, TaskResult, TaskState, TaskStatus
from teahouse.services.scheduler._store import load_task
from teahouse.services.scheduler.errors import (
    OutputAlreadyWritten,
    ResultMissing,
    TaskNotRunning,
    TaskNotStaged,
    UnknownOutput,
    UnknownTask,
)

CANCELED_BY_USER = "Task Canceled by the user"
EXECUTOR_TIMEOUT = "Runtime Error: Executor Timeout"
EXECUTOR_LOST = "Runtime Error: Executor Lost: the execution node went away while running the task"


async def _existing(txn: Transaction, task_id: uuid.UUID) -> TaskState:
    task = await load_task(txn, task_id)
    if task is None:
        raise UnknownTask(f"no such task: {task_id}")
    return task


def _save(txn: Transaction, task: TaskState) -> bytes:
    data = task.to_bytes()
    txn.put(task.key, data)
    return data


async def start(txn: Transaction, task_id: uuid.UUID) -> bytes:
    """UpdateTaskStatus: a Staged task becomes Running (Teaclave ignores the requested status).
    Returns the record written."""
    task = await _existing(txn, task_id)
    if task.status is not TaskStatus.Staged:
        raise TaskNotStaged(f"task {task_id} is {task.status.name}, not Staged")
    return _save(txn, dataclasses.replace(task, status=TaskStatus.Running))


async def finish(txn: Transaction, task_id: uuid.UUID, result: TaskResult) -> None:
    """UpdateTaskResult: a Running task becomes Finished with ``result`` (Ok or Err, as Teaclave).

    Each output tag is written into the task's assigned output and into the ``output-…`` record;
    an output that already holds a cmac is refused, and then nothing is written.
    """
    if result == NOT_READY:
        raise ResultMissing()
    task = await _existing(txn, task_id)
    if task.status is not TaskStatus.Running:
        raise TaskNotRunning(f"task {task_id} is {task.status.name}, not Running")
    outputs = dict(task.assigned_outputs)
    if isinstance(result, TaskOutputs):
        for name, tag in sorted(result.tags_map.items()):
            assigned = outputs.get(name)
            if assigned is None:
                raise UnknownOutput(f"task {task_id} has no assigned output {name!r}")
            stored = await txn.get(assigned.key)
            record = OutputFile.from_bytes(stored) if stored is not None else assigned
            if assigned.cmac is not None or record.cmac is not None:
                raise OutputAlreadyWritten(f"output {name!r} ({assigned.external_id}) already holds a result")
            outputs[name] = dataclasses.replace(assigned, cmac=tag)
            txn.put(assigned.key, dataclasses.replace(record, cmac=tag).to_bytes())
    _save(txn, dataclasses.replace(task, status=TaskStatus.Finished, result=result, assigned_outputs=outputs))


async def cancel(txn: Transaction, task_id: uuid.UUID) -> TaskState | None:
    """A user's cancel request: a Staged or Running task becomes Canceled. Returns the task as it
    was if it changed; repeated or late requests (the task has ended) change nothing."""
    task = await load_task(txn, task_id)
    if task is None or task.status not in (TaskStatus.Staged, TaskStatus.Running):
        return None
    _save(txn, dataclasses.replace(task, status=TaskStatus.Canceled, result=TaskFailure(CANCELED_BY_USER)))
    return task


def fail(txn: Transaction, task: TaskState, reason: str) -> None:
    """The node running ``task`` is gone."""
    _save(txn, dataclasses.replace(task, status=TaskStatus.Failed, result=TaskFailure(reason)))
