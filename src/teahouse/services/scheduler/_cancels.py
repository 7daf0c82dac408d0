"""Applying users' cancel requests as soon as management queues them.

The scheduler long-polls ``cancel_queue``; each request is popped into a hold record, applied —
a Staged or Running task becomes Canceled (``Task Canceled by the user``) — and the hold deleted
in the same transaction, so a restart neither loses nor repeats a cancel. Requests for tasks that
have ended (management may queue several for one task) change nothing. Once a running task is
Canceled, the node running it is told to stop through its open Watch.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

from teahouse.kv import Transaction, run_transaction
from teahouse.model import CANCEL_QUEUE, CorruptRecord, TaskState
from teahouse.services.scheduler import _transitions as transitions
from teahouse.services.scheduler._store import (
    CANCEL_HOLD_PREFIX,
    SchedulerStore,
    new_cancel_hold,
    task_id_of_cancel,
)

log = logging.getLogger(__name__)

RETRY_DELAY_S = 1.0


class Cancels:
    def __init__(
        self, store: SchedulerStore, wait_s: float, on_canceled: Callable[[uuid.UUID], None]
    ) -> None:
        self._store = store
        self._wait_s = wait_s
        self._on_canceled = on_canceled

    async def recover(self) -> None:
        """Apply the requests that were popped but not applied (the scheduler stopped meanwhile)."""
        for key in await self._store.keys_with_prefix(CANCEL_HOLD_PREFIX):
            data = await self._store.get(key)
            if data is not None:
                await self.apply(key, data)

    async def run(self) -> None:
        """Apply requests as they come, until cancelled; storage failures are retried."""
        recovered = False
        while True:
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                hold = new_cancel_hold()
                value = await self._store.wait_dequeue(CANCEL_QUEUE, self._wait_s, hold_key=hold)
                if value is not None:
                    await self.apply(hold, value)
            except Exception as exc:  # noqa: BLE001 - a background loop must outlive storage hiccups
                log.warning("cancel requests: %s; retrying in %.0f s", exc, RETRY_DELAY_S)
                recovered = False
                await asyncio.sleep(RETRY_DELAY_S)

    async def apply(self, hold: bytes, request: bytes) -> None:
        try:
            task_id = task_id_of_cancel(request)
        except CorruptRecord as exc:
            log.error("dropping a corrupt cancel request: %s", exc)
            await self._store.delete(hold)
            return

        async def body(txn: Transaction) -> TaskState | None:
            txn.delete(hold)
            return await transitions.cancel(txn, task_id)

        before = await run_transaction(self._store, body)
        if before is None:
            log.info("cancel request for task %s: nothing to do (ended or unknown)", task_id)
            return
        log.info("task %s canceled by the user (it was %s)", task_id, before.status.name)
        self._on_canceled(task_id)
