"""Shared fixtures: the real platform, started once per test session on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse.testing.platform import LocalPlatform, free_ports, write_config

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPlatform]:
    home: Path = tmp_path_factory.mktemp("teahouse-home")
    (counter_port,) = free_ports(1)
    custom = {
        "counter": {
            "script": str(EXAMPLES / "counter" / "service.py"),
            "attestation": "one-way",
            "listen_address": f"127.0.0.1:{counter_port}",
        }
    }
    write_config(home, execution_nodes=2, extra={"custom_services": custom})
    running = LocalPlatform(home).start()
    try:
        yield running
    finally:
        running.stop()
