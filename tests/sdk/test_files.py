"""upload_input / fetch_output: encrypt, store and register a file; fetch, verify and decrypt an output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse.crypto.files import (
    CmacMismatch,
    FileCrypto,
    Schema,
    UnknownSchema,
    UnsupportedSchema,
    decrypt_file,
    encrypt_file,
    file_cmac,
)
from teahouse.fileagent import DestinationExists, FileAgent, FileAgentConfig
from teahouse.sdk import AsyncFrontendClient, FrontendClient, Task, TaskResult, TaskStatus, Trust
from teahouse.testing.fileserver import FileServer

from .conftest import ADMIN, Services
from .fakes import finished_task

PLAIN = b"4.8,3.0,1.4,0.3,3.0\n" * 500


@pytest.fixture
def served(tmp_path: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    with FileServer(root) as server:
        yield server


def _decrypt(crypto: FileCrypto, path: Path, cmac: bytes) -> bytes:
    out = path.with_name(path.name + ".plain")
    decrypt_file(crypto, path, out, cmac=cmac)
    return out.read_bytes()


async def test_upload_bytes_to_a_local_path(fakes: Services, trust: Trust, tmp_path: Path) -> None:
    destination = tmp_path / "store" / "train.enc"
    destination.parent.mkdir()
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        uploaded = await client.upload_input(PLAIN, destination)
    assert uploaded.url == destination.as_uri() and uploaded.data_id.startswith("input-")
    assert uploaded.crypto.schema is Schema.TEACLAVE_FILE_128 and len(uploaded.crypto.key) == 16
    assert uploaded.cmac == file_cmac(Schema.TEACLAVE_FILE_128, destination)
    assert _decrypt(uploaded.crypto, destination, uploaded.cmac) == PLAIN
    register = fakes.frontend.last("RegisterInputFile").request
    assert (register.url, register.cmac) == (uploaded.url, uploaded.cmac)
    assert (register.crypto_info.schema, register.crypto_info.key) == (
        "teaclave-file-128",
        uploaded.crypto.key,
    )


def test_upload_a_file_with_a_given_key_over_http(
    fakes: Services, trust: Trust, tmp_path: Path, served: FileServer
) -> None:
    source = tmp_path / "psi0.txt"
    source.write_bytes(PLAIN)
    key = bytes(range(16))
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        uploaded = client.upload_input(source, served.url("in/psi0.enc"), schema="aes-gcm-128", key=key)
    stored = served.root / "in" / "psi0.enc"
    assert uploaded.crypto.key == key and len(uploaded.crypto.iv) == 12
    assert _decrypt(uploaded.crypto, stored, uploaded.cmac) == PLAIN
    assert ("PUT", "/in/psi0.enc") in served.requests


async def test_upload_never_overwrites_and_registers_nothing(
    fakes: Services, trust: Trust, tmp_path: Path
) -> None:
    destination = tmp_path / "taken.enc"
    destination.write_bytes(b"someone else's file")
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        with pytest.raises(DestinationExists):
            await client.upload_input(PLAIN, destination)
        with pytest.raises(UnknownSchema):
            await client.upload_input(PLAIN, tmp_path / "x.enc", schema="rot13")
        with pytest.raises(UnsupportedSchema):
            await client.upload_input(PLAIN, tmp_path / "y.enc", schema=Schema.RAW)
    assert destination.read_bytes() == b"someone else's file"
    assert fakes.frontend.calls == []


def _output(path: Path, crypto: FileCrypto) -> bytes:
    """Write an output as the execution service would; return its cmac."""
    plain = path.with_name("plain.txt")
    plain.write_bytes(PLAIN)
    return encrypt_file(crypto, plain, path, name=path.name)


def _finished(tags: dict[str, bytes]) -> Task:
    result = TaskResult(ok=True, tags=tags)
    return Task(
        "task-1", "u", "f", "o", {}, (), (), frozenset(), frozenset(), (), (), TaskStatus.Finished, result
    )


async def test_fetch_an_output_from_a_local_path(fakes: Services, trust: Trust, tmp_path: Path) -> None:
    crypto = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))
    location = tmp_path / "output_psi0.enc"
    tag = _output(location, crypto)
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        assert await client.fetch_output(_finished({"out": tag}), "out", location, crypto) == PLAIN
        with pytest.raises(CmacMismatch):
            await client.fetch_output(_finished({"out": bytes(16)}), "out", location, crypto)
    assert fakes.frontend.calls == []


def test_fetch_an_output_by_task_id_over_http(fakes: Services, trust: Trust, served: FileServer) -> None:
    crypto = FileCrypto(Schema.AES_GCM_256, bytes(range(32)), bytes(12))
    tag = _output(served.root / "model.enc", crypto)
    fakes.frontend.script_tasks(finished_task("task-9", tags={"trained_model": tag}))
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        assert client.fetch_output("task-9", "trained_model", served.url("model.enc"), crypto) == PLAIN
    assert fakes.frontend.last("GetTask").request.task_id == "task-9"


async def test_a_custom_file_agent_is_used(fakes: Services, trust: Trust, tmp_path: Path) -> None:
    fusion = tmp_path / "fusion"
    agent = FileAgent(FileAgentConfig(fusion_base_dir=fusion))
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN, file_agent=agent) as client:
        uploaded = await client.upload_input(PLAIN, "fusion:///TEACLAVE_FUSION_BASE/shared/a.fusion")
    assert (fusion / "shared" / "a.fusion").exists()
    assert uploaded.url == "fusion:///TEACLAVE_FUSION_BASE/shared/a.fusion"
