"""``PythonExecutor``: MesaPy-compatible Python functions in sandboxed CPython workers."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Callable
from types import TracebackType
from typing import Any, ClassVar

from teahouse.executors._argv import flatten_arguments
from teahouse.executors._base import Invocation, InvocationResult
from teahouse.executors.python._config import SandboxConfig
from teahouse.executors.python._errors import SandboxError
from teahouse.executors.python._pool import WorkerPool
from teahouse.executors.python._process import WorkerProcess
from teahouse.executors.python._session import run_task
from teahouse.executors.python._template import Template

log = logging.getLogger(__name__)


class PythonExecutor:
    """Runs Python functions with Teaclave's MesaPy contract, one sandboxed worker per task.

    The payload defines ``entrypoint(argv)``; see the package docstring for the sandbox. Use
    as ``async with PythonExecutor() as executor`` or call :meth:`close` when done;
    :meth:`start` fills the worker pool ahead of the first task. An executor belongs to the
    event loop it first runs on (its template and workers are watched by that loop).
    """

    executor_type: ClassVar[str] = "python"

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._pool = WorkerPool(self._start_worker, self.config.pool_size)
        self._closed = False
        self._isolation: dict[str, Any] = {}
        self._template: Template | None = None
        self._template_lock = asyncio.Lock()

    @property
    def idle_workers(self) -> int:
        """Sandboxed workers started and waiting for a task."""
        return self._pool.idle

    @property
    def isolation(self) -> dict[str, Any]:
        """What the latest worker reported: namespaces entered, features missing, uid, ..."""
        return dict(self._isolation)

    async def start(self) -> None:
        """Fill the worker pool and return once it is full."""
        self._check_open()
        await self._pool.wait_filled()

    async def run(self, invocation: Invocation) -> InvocationResult:
        self._check_open()
        argv = flatten_arguments(invocation.arguments)
        worker = await self._pool.acquire()
        log.debug("task %s: python worker %d", invocation.task_id, worker.pid)
        return await run_task(worker, invocation, argv, self.config.log_bytes)

    async def close(self) -> None:
        self._closed = True
        await self._pool.close()
        async with self._template_lock:
            if self._template is not None:
                await self._template.close()
                self._template = None

    async def __aenter__(self) -> PythonExecutor:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise SandboxError("the python executor is closed")

    async def _start_worker(self, track: Callable[[WorkerProcess], object]) -> WorkerProcess:
        template = await self._running_template()
        privileged = os.geteuid() == 0
        uid = self.config.uid_base + secrets.randbelow(self.config.uid_count) if privileged else None
        config = {
            "namespaces": list(self.config.namespaces),
            "uid": uid,
            "gid": uid,
            "open_files": self.config.worker_open_files,
            "threads": self.config.worker_threads,
        }
        worker = await template.fork(config)
        track(worker)
        try:
            async with asyncio.timeout(self.config.start_timeout_s):
                await worker.read_hello()
        except (EOFError, TimeoutError, ValueError) as error:
            worker.kill()
            status = await worker.wait()
            tail = await worker.read_log_tail()
            worker.close()
            raise SandboxError(f"python worker failed to start ({error!r}, {status}): {tail}") from None
        except BaseException:
            worker.kill()
            worker.close()
            raise
        self._note_isolation(worker.hello)
        return worker

    async def _running_template(self) -> Template:
        async with self._template_lock:
            self._check_open()
            if self._template is None or not self._template.alive:
                if self._template is not None:
                    log.warning("python template process %d died; starting a new one", self._template.pid)
                    await self._template.close()
                    self._template = None
                self._template = await Template.start(
                    self.config.python, self.config.preload, self.config.start_timeout_s
                )
                unavailable = self._template.ready.get("unavailable_modules")
                if unavailable:
                    log.warning("python sandbox: modules not installed: %s", ", ".join(unavailable))
            return self._template

    def _note_isolation(self, hello: dict[str, Any]) -> None:
        first = not self._isolation
        self._isolation = hello
        if first:
            log.info(
                "python sandbox: namespaces %s, uid %s, seccomp allow-list",
                ",".join(hello.get("namespaces", [])) or "none",
                hello.get("uid"),
            )
            if hello.get("missing"):
                log.warning("python sandbox: not available here: %s", ", ".join(hello["missing"]))
