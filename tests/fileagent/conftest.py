from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse.fileagent import FileAgent, FileAgentConfig
from teahouse.testing.fileserver import FileServer


@pytest.fixture
def work(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def fusion(tmp_path: Path) -> Path:
    path = tmp_path / "fusion"
    path.mkdir()
    return path


@pytest.fixture
def agent(fusion: Path) -> FileAgent:
    return FileAgent(
        FileAgentConfig(
            fusion_base_dir=fusion,
            file_roots=(Path("/"),),
            connect_timeout=2,
            read_timeout=2,
            attempts=3,
            backoff=0.01,
        )
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    with FileServer(root) as srv:
        yield srv
