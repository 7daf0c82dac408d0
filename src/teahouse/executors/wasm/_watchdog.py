"""One timer thread for every run's time limit (a ``threading.Timer`` per run costs a thread)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class _Alarm:
    __slots__ = ("action", "armed", "deadline")

    def __init__(self, deadline: float, action: Callable[[], object]) -> None:
        self.deadline = deadline
        self.action = action
        self.armed = True


class Watchdog:
    """Calls an action when its monotonic deadline passes, unless disarmed first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Alarm]] = []
        self._order = itertools.count()
        self._disarmed = 0
        self._thread: threading.Thread | None = None

    def schedule(self, delay_s: float, action: Callable[[], object]) -> Callable[[], None]:
        """Run ``action`` (on the watchdog thread) after ``delay_s``; returns the disarm function."""
        alarm = _Alarm(time.monotonic() + delay_s, action)
        with self._cond:
            heapq.heappush(self._heap, (alarm.deadline, next(self._order), alarm))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="wasm-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()

        def disarm() -> None:
            with self._cond:
                if alarm.armed:
                    alarm.armed = False
                    self._disarmed += 1
                    self._compact()

        return disarm

    def _compact(self) -> None:
        """Drop disarmed alarms once they are most of the heap (most runs end well in time)."""
        if self._disarmed > 64 and self._disarmed * 2 > len(self._heap):
            self._heap = [entry for entry in self._heap if entry[2].armed]
            heapq.heapify(self._heap)
            self._disarmed = 0

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._heap and not self._heap[0][2].armed:
                    heapq.heappop(self._heap)
                    self._disarmed -= 1
                if not self._heap:
                    self._cond.wait()
                    continue
                delay = self._heap[0][0] - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                alarm = heapq.heappop(self._heap)[2]
                alarm.armed = False
            try:
                alarm.action()
            except Exception:  # one bad action must not end the watchdog
                log.exception("watchdog action failed")


WATCHDOG = Watchdog()
