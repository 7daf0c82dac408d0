"""What a node says to the scheduler and hears back (``teaclave_common_proto`` enum values)."""

from __future__ import annotations

from typing import Protocol

from teahouse.errors import Code, TeahouseError
from teahouse.model import ExecutorCommand, ExecutorStatus, TaskResult


class SchedulerLink(Protocol):
    """The scheduler RPCs a node uses; errors are ``TeahouseError``s (``Unavailable`` when the
    scheduler cannot be reached)."""

    async def watch(
        self, executor_id: str, status: ExecutorStatus, task_id: str, timeout: float
    ) -> tuple[ExecutorCommand, bytes]:
        """Idle: wait for a task (NewTask + StagedTask JSON); Executing: wait for Stop."""
        ...

    async def update_status(self, task_id: str) -> None:
        """The task is starting (Staged → Running)."""
        ...

    async def update_result(self, task_id: str, result: TaskResult) -> None: ...


_TRANSIENT = frozenset({Code.UNAVAILABLE, Code.ABORTED, Code.DEADLINE_EXCEEDED})


def transient(error: TeahouseError) -> bool:
    """Worth retrying: the scheduler (or its storage) is unreachable or busy, not refusing."""
    return error.code in _TRANSIENT
