"""The frontend's audit trail: one entry per call, buffered and flushed to management.

Entries are flushed every ``interval`` seconds (Teaclave: 30 s), before every QueryAuditLogs so
that an administrator sees everything up to the query, and on shutdown. A flush that fails
keeps its entries for the next attempt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from teahouse.model import AuditEntry

log = logging.getLogger(__name__)

MAX_BATCH = 500


class AuditTrail:
    def __init__(self, save: Callable[[list[AuditEntry]], Awaitable[None]], *, interval: float = 1.0) -> None:
        self._save = save
        self._interval = interval
        self._pending: list[AuditEntry] = []
        self._lock = asyncio.Lock()

    def record(self, ip: bytes, user: str, message: str, result: bool) -> None:
        self._pending.append(AuditEntry(time.time_ns() // 1000, ip, user, message, result))

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self) -> None:
        async with self._lock:
            while self._pending:
                batch = self._pending[:MAX_BATCH]
                await self._save(batch)
                del self._pending[: len(batch)]

    async def flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.flush()
            except Exception as exc:  # noqa: BLE001 - keep the entries, try again next round
                log.warning("could not flush %d audit entries: %s", len(self._pending), exc)
