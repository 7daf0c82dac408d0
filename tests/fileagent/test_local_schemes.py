"""file://, fusion and data URLs."""

from pathlib import Path

import pytest

from teahouse.fileagent import DestinationExists, FileAgent, FileAgentError, InvalidURL, SourceNotFound


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


async def test_file_url_round_trip(agent: FileAgent, work: Path, tmp_path: Path) -> None:
    src = tmp_path / "a b.bin"
    src.write_bytes(b"payload")
    await agent.download("file://" + str(src).replace(" ", "%20"), work / "got")
    assert (work / "got").read_bytes() == b"payload"

    await agent.upload(work / "got", f"file://{tmp_path}/uploaded.bin")
    assert (tmp_path / "uploaded.bin").read_bytes() == b"payload"
    assert _leftovers(tmp_path) == [] and _leftovers(work) == []


async def test_file_upload_refuses_to_overwrite(agent: FileAgent, work: Path, tmp_path: Path) -> None:
    (work / "new").write_bytes(b"new")
    (tmp_path / "existing").write_bytes(b"old")
    with pytest.raises(DestinationExists, match="refusing to overwrite existing file"):
        await agent.upload(work / "new", f"file://{tmp_path}/existing")
    assert (tmp_path / "existing").read_bytes() == b"old"


async def test_download_refuses_to_overwrite_local_file(agent: FileAgent, work: Path, tmp_path: Path) -> None:
    (tmp_path / "src").write_bytes(b"x")
    (work / "dest").write_bytes(b"keep")
    with pytest.raises(DestinationExists):
        await agent.download(f"file://{tmp_path}/src", work / "dest")
    assert (work / "dest").read_bytes() == b"keep"


async def test_missing_sources(agent: FileAgent, work: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match=f"file://{tmp_path}/nope: file {tmp_path}/nope does not exist"):
        await agent.download(f"file://{tmp_path}/nope", work / "x")
    with pytest.raises(SourceNotFound, match=r"local file .* does not exist"):
        await agent.upload(work / "missing", f"file://{tmp_path}/y")
    (work / "have").write_bytes(b"1")
    with pytest.raises(FileAgentError, match=r"directory .* does not exist"):
        await agent.upload(work / "have", f"file://{tmp_path}/no/such/dir/y")


async def test_fusion_round_trip(agent: FileAgent, work: Path, fusion: Path) -> None:
    (work / "out").write_bytes(b"fused")
    url = "fusion:///TEACLAVE_FUSION_BASE/shared/abc.fusion"
    await agent.upload(work / "out", url)
    assert (fusion / "shared" / "abc.fusion").read_bytes() == b"fused"
    with pytest.raises(DestinationExists):
        await agent.upload(work / "out", url)
    await agent.download(url, work / "in")
    assert (work / "in").read_bytes() == b"fused"


async def test_fusion_needs_a_base(work: Path) -> None:
    (work / "out").write_bytes(b"x")
    with pytest.raises(InvalidURL, match="fusion base directory"):
        await FileAgent().upload(work / "out", "fusion:///TEACLAVE_FUSION_BASE/a.fusion")


async def test_fusion_cannot_escape(agent: FileAgent, work: Path) -> None:
    with pytest.raises(InvalidURL):
        await agent.download("fusion:///TEACLAVE_FUSION_BASE/../../etc/passwd", work / "x")


async def test_data_urls(agent: FileAgent, work: Path) -> None:
    await agent.download("data:text/plain;base64,aGVsbG8gdGVhY2xhdmU=", work / "b64")
    assert (work / "b64").read_bytes() == b"hello teaclave"
    await agent.download("data:,plain%20text", work / "plain")
    assert (work / "plain").read_bytes() == b"plain text"
    with pytest.raises(InvalidURL, match="data URLs can only be read"):
        await agent.upload(work / "plain", "data:,x")


@pytest.mark.parametrize("url", ["s3://bucket/key", "ftp://host/file", "gopher://x/"])
async def test_unsupported_schemes(url: str, agent: FileAgent, work: Path) -> None:
    (work / "f").write_bytes(b"x")
    with pytest.raises(InvalidURL, match="unsupported URL scheme"):
        await agent.download(url, work / "x")
    with pytest.raises(InvalidURL, match="unsupported URL scheme"):
        await agent.upload(work / "f", url)
