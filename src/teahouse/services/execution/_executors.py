"""The node's executors: one of each kind, created on first need (or ahead, at start), closed at stop.

A task's (executor_type, executor) pair picks the kind, as Teaclave's worker does: (Builtin,
Builtin), (Python, MesaPy) and (WAMicroRuntime, WAMicroRuntime); any other pair, or a kind whose
package this node lacks or cannot start, fails the task with ``function not available: …``.
Executor packages are imported only when their kind is first needed.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from teahouse.executors import Executor as ExecutorImpl
from teahouse.model import Executor, ExecutorType

log = logging.getLogger(__name__)

PAIRS: Mapping[tuple[ExecutorType, Executor], str] = {
    (ExecutorType.BUILTIN, Executor.BUILTIN): "builtin",
    (ExecutorType.PYTHON, Executor.MESAPY): "python",
    (ExecutorType.WAMR, Executor.WAMR): "wamr",
}

Factory = Callable[[], ExecutorImpl]


class FunctionNotAvailable(Exception):
    """The task's function cannot run on this node; ``reason`` is the task's failure reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def default_factories(python_pool_size: int = 1) -> dict[str, Factory]:
    """Factories that import each executor package only when called."""

    def builtin() -> ExecutorImpl:
        module: Any = importlib.import_module("teahouse.executors.builtin")
        return module.BuiltinExecutor()  # type: ignore[no-any-return]

    def python() -> ExecutorImpl:
        module: Any = importlib.import_module("teahouse.executors.python")
        return module.PythonExecutor(module.SandboxConfig(pool_size=python_pool_size))  # type: ignore[no-any-return]

    def wamr() -> ExecutorImpl:
        module: Any = importlib.import_module("teahouse.executors.wasm")
        return module.WasmExecutor()  # type: ignore[no-any-return]

    return {"builtin": builtin, "python": python, "wamr": wamr}


class ExecutorPool:
    def __init__(self, factories: Mapping[str, Factory]) -> None:
        self._factories = dict(factories)
        self._ready: dict[str, ExecutorImpl] = {}
        self._locks = {kind: asyncio.Lock() for kind in self._factories}
        self._closed = False

    async def for_task(self, executor_type: ExecutorType, executor: Executor) -> ExecutorImpl:
        """The executor for a task's pair; raises :class:`FunctionNotAvailable`."""
        unavailable = f"function not available: ({executor_type.value}, {executor.value})"
        kind = PAIRS.get((executor_type, executor))
        if kind is None:
            raise FunctionNotAvailable(unavailable)
        try:
            return await self.get(kind)
        except Exception as exc:  # any failure to build or start the executor
            raise FunctionNotAvailable(
                f"{unavailable}: the {kind} executor cannot run on this node ({exc})"
            ) from exc

    def started(self, kind: str) -> ExecutorImpl | None:
        """The executor of ``kind`` if it has been created already."""
        return self._ready.get(kind)

    async def get(self, kind: str) -> ExecutorImpl:
        if kind not in self._factories:
            raise LookupError(f"no {kind} executor on this node")
        async with self._locks[kind]:
            if self._closed:
                raise RuntimeError("the node is stopping")
            if kind not in self._ready:
                executor = self._factories[kind]()
                start = getattr(executor, "start", None)
                if start is not None:
                    try:
                        await start()
                    except BaseException:
                        await executor.close()
                        raise
                self._ready[kind] = executor
                log.info("%s executor ready", kind)
            return self._ready[kind]

    async def warm_up(self, kinds: tuple[str, ...]) -> None:
        """Create and start ``kinds`` now; a kind that fails is logged (its tasks will say why)."""
        for kind in kinds:
            try:
                await self.get(kind)
            except Exception as exc:  # noqa: BLE001 - reported again by each task that needs it
                log.warning("%s executor unavailable: %s", kind, exc)

    async def close(self) -> None:
        self._closed = True
        for kind, executor in list(self._ready.items()):
            async with self._locks[kind]:
                try:
                    await executor.close()
                except Exception as exc:  # noqa: BLE001 - stopping anyway; close the others
                    log.warning("closing the %s executor failed: %s", kind, exc)
        self._ready.clear()
