"""Liveness of execution nodes, in memory (a restarted scheduler gives every node a fresh start).

A node is alive while one of its Watch calls is open, and for ``executor_timeout`` after its last
contact (a Heartbeat, a Watch that ended, any call naming it). A Watch that was cut off — the
node's connection dropped, for example because its process was killed — leaves the node only
``disconnect_grace`` to come back.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass


class Death(enum.Enum):
    """Why a node is considered gone."""

    SILENT = "silent"
    DISCONNECTED = "disconnected"


@dataclass
class _Node:
    last_seen: float
    watching: int = 0
    cut_off_at: float | None = None


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
        """A call from the node: it is alive now."""
        node = self._nodes.setdefault(executor_id, _Node(self._clock()))
        node.last_seen = self._clock()
        node.cut_off_at = None

    def watch_started(self, executor_id: str) -> None:
        self.seen(executor_id)
        self._nodes[executor_id].watching += 1

    def watch_ended(self, executor_id: str, *, cut_off: bool) -> None:
        node = self._nodes.get(executor_id)
        if node is None:
            return
        node.watching = max(0, node.watching - 1)
        node.last_seen = self._clock()
        if cut_off:
            node.cut_off_at = node.last_seen

    def dead(self) -> list[tuple[str, Death]]:
        """The nodes that are gone by now, and why."""
        now = self._clock()
        found: list[tuple[str, Death]] = []
        for executor_id, node in sorted(self._nodes.items()):
            if node.watching:
                continue
            if node.cut_off_at is not None and now - node.cut_off_at >= self._grace:
                found.append((executor_id, Death.DISCONNECTED))
            elif now - node.last_seen >= self._timeout:
                found.append((executor_id, Death.SILENT))
        return found

    def forget(self, executor_id: str) -> None:
        self._nodes.pop(executor_id, None)
