"""fetch_input / store_output: download + verify + decrypt, and encrypt + upload."""

import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from teahouse.crypto.files import (
    CmacMismatch,
    FileCrypto,
    InvalidFileCrypto,
    Schema,
    UnsupportedSchema,
    WrongFileName,
    decrypt_file,
)
from teahouse.fileagent import DestinationExists, FileAgent, HTTPStatusError, InvalidURL
from teahouse.testing.fileserver import FileServer

VECTORS = Path(__file__).parents[1] / "crypto" / "files" / "vectors"
CRYPTOS = [
    FileCrypto.generate(Schema.AES_GCM_128),
    FileCrypto.generate(Schema.AES_GCM_256),
    FileCrypto.generate(Schema.TEACLAVE_FILE_128),
]


def _hidden(directory: Path) -> list[str]:
    return [p.name for p in directory.rglob(".*")]


@pytest.mark.parametrize("crypto", CRYPTOS, ids=lambda c: c.schema.value)
async def test_output_then_input_over_http(
    crypto: FileCrypto, agent: FileAgent, server: FileServer, work: Path
) -> None:
    content = os.urandom(50_000)
    (work / "result").write_bytes(content)
    url = server.url("outputs/result.enc")
    cmac = await agent.store_output(work / "result", url, crypto)
    stored = server.root / "outputs" / "result.enc"
    # What was uploaded is a file of the schema, decryptable on its own, bound to the URL's name.
    decrypt_file(crypto, stored, work / "check", cmac=cmac)
    assert (work / "check").read_bytes() == content

    await agent.fetch_input(url, crypto, cmac, work / "inputs" / "train")
    assert (work / "inputs" / "train").read_bytes() == content
    assert _hidden(work) == []


async def test_teaclave_fixture_by_url(agent: FileAgent, server: FileServer, work: Path) -> None:
    shutil.copytree(VECTORS / "py_logistic_reg", server.root / "py_logistic_reg")
    crypto = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))
    cmac = bytes.fromhex("00780510adc603725ec240ab979681f0")
    await agent.fetch_input(server.url("py_logistic_reg/train.enc"), crypto, cmac, work / "train")
    assert (work / "train").read_bytes() == (VECTORS / "py_logistic_reg" / "train.txt").read_bytes()


async def test_cmac_mismatch_leaves_nothing(agent: FileAgent, server: FileServer, work: Path) -> None:
    crypto = CRYPTOS[0]
    (work / "o").write_bytes(b"data")
    url = server.url("o.enc")
    cmac = await agent.store_output(work / "o", url, crypto)
    wrong = bytes(16)
    with pytest.raises(CmacMismatch) as info:
        await agent.fetch_input(url, crypto, wrong, work / "in" / "o")
    assert (info.value.expected, info.value.actual) == (wrong, cmac)
    assert not (work / "in" / "o").exists()
    assert _hidden(work) == []


async def test_teaclave_file_must_keep_its_url_name(agent: FileAgent, server: FileServer, work: Path) -> None:
    crypto = CRYPTOS[2]
    (work / "o").write_bytes(b"data")
    cmac = await agent.store_output(work / "o", server.url("a/first.enc"), crypto)
    os.rename(server.root / "a" / "first.enc", server.root / "a" / "second.enc")
    with pytest.raises(WrongFileName, match=r"written as 'first\.enc'"):
        await agent.fetch_input(server.url("a/second.enc"), crypto, cmac, work / "in")


async def test_raw_inputs_are_copied_and_raw_outputs_refused(
    agent: FileAgent, server: FileServer, work: Path
) -> None:
    (server.root / "plain.txt").write_bytes(b"not encrypted")
    await agent.fetch_input(server.url("plain.txt"), FileCrypto(Schema.RAW), b"", work / "in")
    assert (work / "in").read_bytes() == b"not encrypted"
    with pytest.raises(UnsupportedSchema):
        await agent.store_output(work / "in", server.url("out"), FileCrypto(Schema.RAW))
    assert server.requests == [("GET", "/plain.txt")]


async def test_fetch_refuses_existing_destination(agent: FileAgent, server: FileServer, work: Path) -> None:
    (work / "in").write_bytes(b"keep")
    with pytest.raises(DestinationExists):
        await agent.fetch_input(server.url("x"), CRYPTOS[0], bytes(16), work / "in")
    assert server.requests == []


async def test_fetch_404(agent: FileAgent, server: FileServer, work: Path) -> None:
    with pytest.raises(HTTPStatusError, match="404"):
        await agent.fetch_input(server.url("missing.enc"), CRYPTOS[0], bytes(16), work / "in")
    assert list(work.iterdir()) == []


async def test_bad_output_url_fails_before_encrypting(agent: FileAgent, work: Path) -> None:
    (work / "o").write_bytes(b"x")
    with pytest.raises(InvalidURL):
        await agent.store_output(work / "o", "data:,x", CRYPTOS[0])
    assert _hidden(work) == []


async def test_fusion_output_to_input(agent: FileAgent, work: Path, fusion: Path) -> None:
    crypto = FileCrypto.generate(Schema.TEACLAVE_FILE_128)
    (work / "o").write_bytes(b"shared result")
    url = "fusion:///TEACLAVE_FUSION_BASE/0f1e.fusion"
    cmac = await agent.store_output(work / "o", url, crypto)
    assert (fusion / "0f1e.fusion").stat().st_size == 4096
    with pytest.raises(DestinationExists):
        await agent.store_output(work / "o", url, crypto)
    await agent.fetch_input(url, crypto, cmac, work / "in")
    assert (work / "in").read_bytes() == b"shared result"


async def test_large_file_is_streamed(agent: FileAgent, server: FileServer, work: Path) -> None:
    size = 48 * 1024 * 1024
    with open(work / "big", "wb") as f:
        for _ in range(size // (1 << 20)):
            f.write(os.urandom(1 << 20))
    crypto = CRYPTOS[1]
    tracemalloc.start()
    try:
        cmac = await agent.store_output(work / "big", server.url("big.enc"), crypto)
        await agent.fetch_input(server.url("big.enc"), crypto, cmac, work / "big.in")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (server.root / "big.enc").stat().st_size == size + 16
    assert peak < 12 * 1024 * 1024, peak  # client and server together, for 48 MB each way
    with open(work / "big", "rb") as a, open(work / "big.in", "rb") as b:
        while chunk := a.read(1 << 20):
            assert chunk == b.read(1 << 20)


async def test_bad_cmac_length_fails_before_downloading(
    agent: FileAgent, server: FileServer, work: Path
) -> None:
    with pytest.raises(InvalidFileCrypto, match="cmac must be 16 bytes, got 3"):
        await agent.fetch_input(server.url("x.enc"), CRYPTOS[0], b"abc", work / "in")
    assert server.requests == []


async def test_long_file_names(agent: FileAgent, server: FileServer, work: Path) -> None:
    name = "n" * 250 + ".enc"
    (work / "o").write_bytes(b"long")
    cmac = await agent.store_output(work / "o", server.url(name), CRYPTOS[2])
    await agent.fetch_input(server.url(name), CRYPTOS[2], cmac, work / name)
    assert (work / name).read_bytes() == b"long"
