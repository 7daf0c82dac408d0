from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.executors import Limits
from teahouse.fileagent import FileAgent, FileAgentConfig
from teahouse.services.execution._executors import ExecutorPool
from teahouse.services.execution._runner import TaskRunner

from .fakes import UpperExecutor


@pytest.fixture
def upper() -> UpperExecutor:
    return UpperExecutor()


@pytest.fixture
async def pool(upper: UpperExecutor) -> AsyncIterator[ExecutorPool]:
    executors = ExecutorPool({"builtin": lambda: upper})
    yield executors
    await executors.close()


@pytest.fixture
def work_root(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    root.mkdir(mode=0o700)
    return root


@pytest.fixture
def runner(pool: ExecutorPool, work_root: Path, tmp_path: Path) -> TaskRunner:
    """Inputs and outputs are ``file://`` URLs in ``tmp_path``, the one folder the node shares."""
    files = FileAgent(FileAgentConfig(file_roots=(tmp_path.resolve(),)))
    return TaskRunner(pool, files, work_root, Limits(wall_time_s=10))
