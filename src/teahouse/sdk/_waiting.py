"""Waiting for a task to end: the decisions, without the sleeping (shared by both clients)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from teahouse.model import TaskStatus
from teahouse.sdk._errors import TaskCanceled, TaskFailed
from teahouse.sdk._results import Task

#: Called with the task each time a poll sees a new status.
Progress = Callable[[Task], object]


def outcome(task: Task) -> Task:
    """Return an ended task whose run succeeded; raise ``TaskCanceled`` or ``TaskFailed`` otherwise.

    Teaclave reports a run that failed inside the executor as Finished with an error result;
    that is a failure here too (Teaclave's SDK returned empty bytes for it).
    """
    if task.status is TaskStatus.Canceled:
        raise TaskCanceled(task)
    if task.status is TaskStatus.Failed or (task.result is not None and not task.result.ok):
        raise TaskFailed(task)
    return task


class TaskWaiter:
    """Polls until a task ends: ``done(task)`` after each poll, ``delay()`` before the next one."""

    def __init__(
        self,
        task_id: str,
        *,
        timeout: float | None,
        poll: float,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not poll > 0 or not math.isfinite(poll):
            raise ValueError("poll must be a positive number of seconds")
        if timeout is not None and not timeout >= 0:
            raise ValueError("timeout must not be negative")
        self._task_id = task_id
        self._timeout = timeout
        self._poll = poll
        self._progress = progress
        self._clock = clock
        self._deadline = None if timeout is None else clock() + timeout
        self._status: TaskStatus | None = None

    def done(self, task: Task) -> bool:
        """True once ``task`` has ended successfully; raises if it ended otherwise."""
        if task.status is not self._status:
            self._status = task.status
            if self._progress is not None:
                self._progress(task)
        if not task.ended:
            return False
        outcome(task)
        return True

    def delay(self) -> float:
        """Seconds to sleep before the next poll; raises ``TimeoutError`` once the time is up."""
        if self._deadline is None:
            return self._poll
        remaining = self._deadline - self._clock()
        if remaining <= 0:
            last = self._status.name if self._status is not None else "unknown"
            raise TimeoutError(
                f"task {self._task_id} did not end within {self._timeout:g} s (last status {last})"
            )
        return min(self._poll, remaining)


def result_value(task: Task) -> bytes:
    """The return value of a task that ended successfully."""
    outcome(task)
    return task.result.return_value if task.result is not None else b""


def output_tag(task: Task, output_name: str) -> bytes:
    """The cmac the platform recorded for ``output_name`` when the task finished."""
    if not task.ended:
        raise ValueError(f"task {task.task_id} has not ended yet (status {task.status.name})")
    outcome(task)
    tags = task.result.tags if task.result is not None else {}
    if output_name not in tags:
        known = ", ".join(sorted(tags)) or "none"
        raise ValueError(f"task {task.task_id} has no output named {output_name!r} (outputs: {known})")
    return tags[output_name]
