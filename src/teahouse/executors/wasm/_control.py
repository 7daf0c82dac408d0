"""Stopping one running instance from any thread: cancellation, time limit, host fault."""

from __future__ import annotations

import threading
from collections.abc import Callable

import wasmtime

from teahouse.executors.wasm._watchdog import WATCHDOG


class RunControl:
    """The stop switch of one run.

    The run's thread attaches its private engine before it enters WebAssembly; :meth:`stop`
    records the first reason given and bumps that engine's epoch, so the instance traps at
    its next function entry or loop back edge. Sleeping host calls wait on :attr:`stopped`.
    """

    def __init__(self, time_limit_s: float | None = None) -> None:
        self._lock = threading.Lock()
        self._engine: wasmtime.Engine | None = None
        self._reason: str | None = None
        self._disarm: Callable[[], None] | None = None
        self._time_limit_s = time_limit_s
        self._started = False
        self.stopped = threading.Event()

    @property
    def reason(self) -> str | None:
        """Why the run was stopped, or ``None`` while it has not been."""
        return self._reason

    @property
    def running(self) -> bool:
        """Whether the run is inside WebAssembly (attached and not yet detached)."""
        return self._engine is not None

    def begin(self) -> bool:
        """Claim the run before it touches the task's files; False if already stopped.

        From here on :meth:`stop` tells its caller to wait for the run's thread.
        """
        with self._lock:
            if self._reason is not None:
                return False
            self._started = True
            return True

    def attach(self, engine: wasmtime.Engine) -> bool:
        """Make ``engine`` interruptible and start the clock; False if already stopped.

        The engine's stores must already have their epoch deadline set, so that a stop
        arriving right after this call still interrupts them.
        """
        with self._lock:
            if self._reason is not None:
                return False
            self._engine = engine
            if self._time_limit_s is not None:
                reason = f"time limit of {self._time_limit_s:g} s exceeded"
                self._disarm = WATCHDOG.schedule(self._time_limit_s, lambda: self.stop(reason))
            return True

    def detach(self) -> None:
        """The instance has left WebAssembly for good: stop the clock, forget the engine."""
        with self._lock:
            self._engine = None
            if self._disarm is not None:
                self._disarm()
                self._disarm = None

    def stop(self, reason: str) -> bool:
        """Stop the run with ``reason`` (the first reason wins).

        Returns whether the run has started, i.e. whether the caller should wait for its
        thread to finish (it may still be in WebAssembly, or closing the task's files). A run
        that has not started never will.
        """
        with self._lock:
            if self._reason is None:
                self._reason = reason
            self.stopped.set()
            if self._engine is not None:
                self._engine.increment_epoch()
            return self._started
