"""A private event loop in a daemon thread: how the sync clients run their async twins."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    """One event loop running forever in its own thread; ``run`` may be called from any other thread."""

    def __init__(self, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        finally:
            self._loop.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop and wait for its result (thread-safe)."""
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a sync client cannot be used from its own event loop (use the async client)")
        with self._lock:
            if self._closed:
                coro.close()
                raise RuntimeError("the client is closed")
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result()
        except BaseException:
            # Interrupted (Ctrl-C) while waiting: do not leave the call running behind our back.
            future.cancel()
            raise

    def close(self) -> None:
        """Finish what is still scheduled, stop the loop and join the thread (idempotent)."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a sync client cannot be closed from its own event loop")
        with self._lock:
            if self._closed:
                return
            self._closed = True
        asyncio.run_coroutine_threadsafe(_cancel_others(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()


async def _cancel_others() -> None:
    current = asyncio.current_task()
    others = [t for t in asyncio.all_tasks() if t is not current]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)
