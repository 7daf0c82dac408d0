"""Liveness of execution nodes, in memory (a restarted scheduler gives every node a fresh start).

Teahouse nodes (those that use Watch) are never silent for long: a node keeps a Watch open, and
whenever one of its calls ends it calls again at once (the next Watch, UpdateTaskStatus after a
NewTask, Watch after UpdateTaskStatus). So a Teahouse node that has no call open and has not
called again within ``disconnect_grace`` of its last call's end is gone — killed, or its
connection dropped. A node that only heartbeats (Teaclave's) is gone after ``executor_timeout``
of silence, as in Teaclave.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass


class Death(enum.Enum):
    """Why a node is considered gone."""

    SILENT = "silent"
    LOST = "lost"


@dataclass
class _Node:
    last_seen: float
    open_calls: int = 0
    uses_watch: bool = False
    due_by: float | None = None  # a Teahouse node must call again by then


class NodeRegistry:
    def __init__(
        self,
        executor_timeout: float,
        disconnect_grace: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._timeout = executor_timeout
        self._grace = disconnect_grace
        self._clock = clock
        self._nodes: dict[str, _Node] = {}

    def __contains__(self, executor_id: object) -> bool:
        return executor_id in self._nodes

    def known(self) -> list[str]:
        return sorted(self._nodes)

    def seen(self, executor_id: str) -> None:
        """A call from the node (a Heartbeat, or the start of any other call): it is alive now."""
        node = self._nodes.setdefault(executor_id, _Node(self._clock()))
        node.last_seen = self._clock()
        node.due_by = None

    def call_started(self, executor_id: str, *, watch: bool = False) -> None:
        self.seen(executor_id)
        node = self._nodes[executor_id]
        node.open_calls += 1
        node.uses_watch = node.uses_watch or watch

    def call_ended(self, executor_id: str) -> None:
        node = self._nodes.get(executor_id)
        if node is None:
            return
        node.open_calls = max(0, node.open_calls - 1)
        node.last_seen = self._clock()
        if node.uses_watch:
            node.due_by = node.last_seen + self._grace

    def dead(self) -> list[tuple[str, Death]]:
        """The nodes that are gone by now, and why."""
        now = self._clock()
        found: list[tuple[str, Death]] = []
        for executor_id, node in sorted(self._nodes.items()):
            if node.open_calls:
                continue
            if node.due_by is not None and now >= node.due_by:
                found.append((executor_id, Death.LOST))
            elif now - node.last_seen >= self._timeout:
                found.append((executor_id, Death.SILENT))
        return found

    def forget(self, executor_id: str) -> None:
        self._nodes.pop(executor_id, None)
