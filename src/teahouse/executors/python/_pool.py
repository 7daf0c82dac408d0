"""Workers started and sandboxed ahead of time, so that a task's code starts at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from teahouse.executors.python._process import WorkerProcess

log = logging.getLogger(__name__)

_MAX_BACKOFF_S = 30.0


class WorkerPool:
    """Keeps ``size`` idle workers; each worker is handed out once and never comes back.

    One background task (started by :meth:`start`, ended by :meth:`close`) refills the pool
    after every :meth:`acquire`. When no idle worker is ready, :meth:`acquire` starts a cold
    one rather than wait for the refill.
    """

    def __init__(
        self,
        start_worker: Callable[[Callable[[WorkerProcess], object]], Awaitable[WorkerProcess]],
        size: int,
    ) -> None:
        self._start_worker = start_worker
        self._size = size
        self._idle: deque[WorkerProcess] = deque()
        self._live: set[WorkerProcess] = set()
        self._wanted = asyncio.Event()
        self._changed = asyncio.Condition()
        self._refill: asyncio.Task[None] | None = None
        self._failure: Exception | None = None

    @property
    def idle(self) -> int:
        return sum(1 for worker in self._idle if worker.alive)

    def start(self) -> None:
        if self._size > 0 and self._refill is None:
            self._refill = asyncio.create_task(self._refill_forever(), name="python-worker-pool")
            self._wanted.set()

    async def wait_filled(self) -> None:
        """Wait until the pool holds ``size`` ready workers; raise if starting one fails."""
        self.start()
        self._failure = None
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._idle) >= self._size or self._failure is not None)
        if self._failure is not None:
            raise self._failure

    async def acquire(self) -> WorkerProcess:
        self.start()
        self._live = {worker for worker in self._live if worker.alive}
        self._wanted.set()
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive:
                return worker
            worker.close()
        return await self._start_worker(self._live.add)

    async def close(self) -> None:
        """Stop refilling, kill every worker this pool started and wait until all are reaped."""
        if self._refill is not None:
            self._refill.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refill
        for worker in self._live:
            worker.kill()
        for worker in self._live:
            await worker.wait()
        for worker in self._idle:
            worker.close()
        self._idle.clear()
        self._live.clear()

    async def _refill_forever(self) -> None:
        backoff = 0.0
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            while len(self._idle) < self._size:
                try:
                    worker = await self._start_worker(self._live.add)
                except Exception as error:
                    # Keep the pool alive (runs fall back to cold workers and report the
                    # error themselves), but do not spin on a broken set-up.
                    log.exception("python worker pool: cannot start a worker")
                    self._failure = error
                    async with self._changed:
                        self._changed.notify_all()
                    backoff = min(max(backoff * 2, 0.5), _MAX_BACKOFF_S)
                    await asyncio.sleep(backoff)
                    continue
                backoff = 0.0
                self._idle.append(worker)
                async with self._changed:
                    self._changed.notify_all()
