"""The custom-service example starts with the platform, is verified by a client with the exported
trust files, serves, and keeps its sealed state across a restart."""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from teahouse.cli import main as cli
from teahouse.sdk import AttestationFailedError, Trust, attested_channel
from teahouse.testing.platform import LocalPlatform

from ..conftest import EXAMPLES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def client() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXAMPLES / "counter"))
    try:
        yield importlib.import_module("client")
    finally:
        sys.path.remove(str(EXAMPLES / "counter"))


@pytest.fixture(scope="module")
def trust_dir(platform: LocalPlatform, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trust")
    result = CliRunner().invoke(cli, ["trust", "export", "--home", str(platform.home), str(out)])
    assert result.exit_code == 0, result.output
    return out


def address(platform: LocalPlatform) -> str:
    listen = platform.config.custom_services["counter"].listen
    return f"{listen.host}:{listen.port}"


async def test_the_counter_serves_verified_clients_and_keeps_its_state(
    platform: LocalPlatform, client: ModuleType, trust_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"visits-{uuid.uuid4().hex[:8]}"
    assert await client.call(str(trust_dir), address(platform), "add", name, 2) == 2
    assert await client.call(str(trust_dir), address(platform), "add", name, 3) == 5
    assert "verified counter service" in capsys.readouterr().out
    assert "teaclave_counter_service" in (trust_dir / "enclave_info.toml").read_text()
    old = platform.kill("counter")
    await asyncio.to_thread(platform.wait_restarted, "counter", old)
    assert await client.call(str(trust_dir), address(platform), "get", name, 0) == 5
    sealed = (platform.home / "data" / "counter.sealed").read_bytes()
    assert name.encode() not in sealed


async def test_a_client_expecting_another_service_refuses_it(
    platform: LocalPlatform, client: ModuleType, trust_dir: Path
) -> None:
    from counter_grpc import CounterStub  # the module fixture put the example on sys.path
    from counter_pb2 import GetRequest

    channel = attested_channel(address(platform), Trust.load(trust_dir), "storage")
    try:
        with pytest.raises(Exception) as info:
            await CounterStub(channel).Get(GetRequest(name="x"))
        assert "counter service" in str(info.value) or isinstance(info.value, AttestationFailedError)
    finally:
        channel.close()
