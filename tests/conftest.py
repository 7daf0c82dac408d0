"""Shared fixtures: the real platform, started once per test session on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse.testing.platform import LocalPlatform, write_config


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPlatform]:
    home: Path = tmp_path_factory.mktemp("teahouse-home")
    write_config(home, execution_nodes=2)
    running = LocalPlatform(home).start()
    try:
        yield running
    finally:
        running.stop()
