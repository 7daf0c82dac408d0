"""Running one staged task: fetch and check inputs, run the function, encrypt and upload outputs.

Mirrors Teaclave's execution service (spec/behaviour.md §4.7, §6.4): inputs are downloaded, their
cmac checked and decrypted into the task's private directory; the executor runs the function over
the plaintext files; outputs are encrypted with their registered crypto and uploaded, only after
the function succeeded, and their cmacs become the result's ``tags_map``. Any failure ends the run
with a :class:`~teahouse.model.TaskFailure` naming the cause.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Protocol

from teahouse.crypto.files import FileCrypto
from teahouse.errors import TeahouseError
from teahouse.executors import FunctionFailed, Invocation, Limits
from teahouse.model import StagedTask, TaskFailure, TaskOutputs
from teahouse.services.execution._executors import ExecutorPool, FunctionNotAvailable
from teahouse.services.execution._workdir import task_dir

log = logging.getLogger(__name__)


class Files(Protocol):
    """The file agent's two operations (``teahouse.fileagent.FileAgent``)."""

    async def fetch_input(self, url: str, crypto: FileCrypto, cmac: bytes, dest_path: Path) -> None: ...

    async def store_output(self, src_plain_path: Path, url: str, crypto: FileCrypto) -> bytes: ...


class TaskRunner:
    def __init__(self, executors: ExecutorPool, files: Files, work_root: Path, limits: Limits) -> None:
        self._executors = executors
        self._files = files
        self._root = work_root
        self._limits = limits

    async def run(self, staged: StagedTask) -> TaskOutputs | TaskFailure:
        """Run the task; cancelling this stops the function at once and removes its files."""
        try:
            executor = await self._executors.for_task(staged.executor_type, staged.executor)
        except FunctionNotAvailable as exc:
            return TaskFailure(exc.reason)
        with task_dir(self._root, str(staged.task_id)) as work:
            try:
                inputs = await self._fetch_inputs(staged, work / "inputs")
                outputs = _output_paths(staged, work / "outputs")
                result = await executor.run(self._invocation(staged, inputs, outputs))
                tags = await self._store_outputs(staged, outputs)
            except FunctionFailed as exc:
                return TaskFailure(exc.reason)
            except TeahouseError as exc:  # file agent and file crypto errors name URL and cause
                return TaskFailure(exc.message)
        return TaskOutputs(result.return_value, tags, tuple(result.log))

    def _invocation(
        self, staged: StagedTask, inputs: dict[str, Path], outputs: dict[str, Path]
    ) -> Invocation:
        return Invocation(
            task_id=str(staged.task_id),
            function_name=staged.function_name,
            payload=staged.function_payload,
            arguments=staged.function_arguments,
            inputs=inputs,
            outputs=outputs,
            limits=self._limits,
            save_log=staged.function_arguments.get("save_log") == "true",
        )

    async def _fetch_inputs(self, staged: StagedTask, directory: Path) -> dict[str, Path]:
        directory.mkdir(mode=0o700)
        # Data names are the users' strings: the files are numbered instead.
        paths = {name: directory / str(i) for i, name in enumerate(sorted(staged.input_data))}
        await asyncio.gather(
            *(
                self._files.fetch_input(f.url, f.crypto_info, f.cmac, paths[name])
                for name, f in staged.input_data.items()
            )
        )
        return paths

    async def _store_outputs(self, staged: StagedTask, paths: dict[str, Path]) -> dict[str, bytes]:
        for name, path in sorted(paths.items()):
            if not path.is_file():
                raise FunctionFailed(f"the function did not write its output {name!r}")
        names = sorted(staged.output_data)
        cmacs = await asyncio.gather(
            *(
                self._files.store_output(
                    paths[name], staged.output_data[name].url, staged.output_data[name].crypto_info
                )
                for name in names
            )
        )
        return dict(zip(names, cmacs, strict=True))


def _output_paths(staged: StagedTask, directory: Path) -> dict[str, Path]:
    directory.mkdir(mode=0o700)
    return {name: directory / str(i) for i, name in enumerate(sorted(staged.output_data))}
