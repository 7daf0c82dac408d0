"""Counts for the operator's metrics: how many tasks are in each state."""

from __future__ import annotations

import collections

from teahouse.kv import KeyValueStore
from teahouse.model import TASK_PREFIX, CorruptRecord, TaskState, TaskStatus

#: Above this many tasks the count is skipped (a full scan would cost too much per refresh).
MAX_SCANNED = 5_000


async def task_counts(kv: KeyValueStore) -> dict[TaskStatus, int] | None:
    """Tasks per status, or ``None`` when there are too many to count."""
    keys = await kv.keys_with_prefix(TASK_PREFIX.encode())
    if len(keys) > MAX_SCANNED:
        return None
    counts: collections.Counter[TaskStatus] = collections.Counter()
    for key in keys:
        raw = await kv.get(key)
        if raw is None:
            continue
        try:
            counts[TaskState.from_bytes(raw).status] += 1
        except CorruptRecord:
            continue
    return {status: counts.get(status, 0) for status in TaskStatus}
