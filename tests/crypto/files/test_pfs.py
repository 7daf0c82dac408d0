"""teaclave-file-128: round trips, interoperability with the reference oracle, and every failure."""

import io
import os
from pathlib import Path

import pytest

from teahouse.crypto.files import (
    CmacMismatch,
    DecryptionFailed,
    FileCrypto,
    FileCryptoError,
    InvalidFileName,
    MalformedFile,
    Schema,
    TamperedNode,
    TruncatedFile,
    WrongFileName,
    decrypt_file,
    encrypt_file,
)
from teahouse.crypto.files._pfs_layout import node_count

from . import reference_pfs
from .helpers import Unseekable, flip

KEY = bytes(range(16))
CRYPTO = FileCrypto(Schema.TEACLAVE_FILE_128, KEY)
MD, NODE = 3072, 4096
MHT_SPAN = MD + 96 * NODE  # content that fills exactly the root MHT's 96 data nodes


@pytest.mark.parametrize(
    "size",
    [
        0,
        1,
        MD - 1,
        MD,
        MD + 1,
        4095,
        4096,
        4097,
        MHT_SPAN - NODE,
        MHT_SPAN - 1,
        MHT_SPAN,
        MHT_SPAN + 1,
        MHT_SPAN + NODE,
        MHT_SPAN + NODE + 1,
    ],
)
def test_round_trip_and_reference_reads_ours(size: int, tmp_path: Path) -> None:
    content = os.urandom(size)
    src = tmp_path / "plain"
    src.write_bytes(content)
    enc = tmp_path / "data.enc"
    cmac = encrypt_file(CRYPTO, src, enc)

    assert enc.stat().st_size == node_count(size) * NODE
    assert enc.read_bytes()[80:96] == cmac
    assert reference_pfs.read(str(enc), KEY, cmac) == (content, cmac)
    out = tmp_path / "out"
    assert decrypt_file(CRYPTO, enc, out, cmac=cmac) == cmac
    assert out.read_bytes() == content


@pytest.mark.parametrize("size", [0, 1, MD, MD + 1, MHT_SPAN - 1, MHT_SPAN + 1, MHT_SPAN + 40 * NODE])
def test_we_read_reference_files(size: int, tmp_path: Path) -> None:
    content = os.urandom(size)
    enc = tmp_path / "ref.enc"
    cmac = reference_pfs.write(str(enc), KEY, content)
    out = io.BytesIO()
    assert decrypt_file(CRYPTO, enc, out, cmac=cmac) == cmac
    assert out.getvalue() == content


def test_twenty_megabytes_streamed(tmp_path: Path) -> None:
    content = os.urandom(20 * 1000 * 1000)  # 4883 data nodes under 51 MHT nodes, two tree levels
    src = tmp_path / "big"
    src.write_bytes(content)
    enc = tmp_path / "big.enc"
    cmac = encrypt_file(CRYPTO, src, enc)
    assert enc.stat().st_size == node_count(len(content)) * NODE
    assert reference_pfs.read(str(enc), KEY, cmac)[0] == content
    out = tmp_path / "big.out"
    decrypt_file(CRYPTO, enc, out, cmac=cmac)
    assert out.read_bytes() == content


def test_unseekable_source_and_file_objects(tmp_path: Path) -> None:
    content = os.urandom(MHT_SPAN + 5000)
    enc_buf = io.BytesIO()
    cmac = encrypt_file(CRYPTO, Unseekable(content), enc_buf, name="stream.enc")
    out = io.BytesIO()
    assert decrypt_file(CRYPTO, Unseekable(enc_buf.getvalue(), 777), out, name="stream.enc") == cmac
    assert out.getvalue() == content


def test_each_write_gets_a_fresh_cmac(tmp_path: Path) -> None:
    src = tmp_path / "p"
    src.write_bytes(b"same content")
    assert encrypt_file(CRYPTO, src, tmp_path / "a") != encrypt_file(CRYPTO, src, tmp_path / "a")


# --- failures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, bytes]:
    """A file with two MHT nodes: 0 meta, 1 root MHT, 2..97 data, 98 MHT 1, 99..100 data."""
    tmp = tmp_path_factory.mktemp("pfs")
    content = os.urandom(MHT_SPAN + NODE + 100)
    enc = tmp / "sample.enc"
    cmac = encrypt_file(CRYPTO, io.BytesIO(content), enc)
    assert enc.stat().st_size == 101 * NODE
    return enc, content, cmac


def _write(tmp_path: Path, data: bytes, name: str = "sample.enc") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


HEADER_POSITIONS = {
    "file_id": 0,
    "file_id_end": 7,
    "major": 8,
    "minor": 9,
    "encrypt_flags": 10,
    "update_flag": 11,
    "key_policy": 12,
    "isv_svn": 14,
    "cpu_svn": 48,
    "attribute_mask": 64,
    "padding": 3468,
    "padding_end": 4095,
}


@pytest.mark.parametrize("field", HEADER_POSITIONS)
def test_tampered_clear_header_is_refused(
    field: str, sample: tuple[Path, bytes, bytes], tmp_path: Path
) -> None:
    enc, _, cmac = sample
    bad = _write(tmp_path, flip(enc.read_bytes(), HEADER_POSITIONS[field]))
    with pytest.raises(MalformedFile):
        decrypt_file(CRYPTO, bad, tmp_path / "out", cmac=cmac)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("at", [16, 47, 96, 500, 3000, 3467])
def test_tampered_metadata_fails_authentication(
    at: int, sample: tuple[Path, bytes, bytes], tmp_path: Path
) -> None:
    enc, _, cmac = sample
    bad = _write(tmp_path, flip(enc.read_bytes(), at))  # key_id or encrypted part
    with pytest.raises(DecryptionFailed):
        decrypt_file(CRYPTO, bad, tmp_path / "out", cmac=cmac)


@pytest.mark.parametrize("at", [80, 95])
def test_tampered_gmac(at: int, sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    bad = _write(tmp_path, flip(enc.read_bytes(), at))
    with pytest.raises(CmacMismatch) as info:
        decrypt_file(CRYPTO, bad, tmp_path / "out", cmac=cmac)
    assert info.value.expected == cmac and info.value.actual != cmac
    assert cmac.hex() in str(info.value)
    with pytest.raises(DecryptionFailed):
        decrypt_file(CRYPTO, bad, tmp_path / "out")


@pytest.mark.parametrize(
    ("node", "offset", "kind"),
    [
        (1, 0, "MHT"),
        (1, 4095, "MHT"),
        (98, 2048, "MHT"),
        (2, 0, "data"),
        (50, 1234, "data"),
        (97, 4095, "data"),
        (99, 7, "data"),
        (100, 4095, "data"),
    ],
)
def test_tampered_node(
    node: int, offset: int, kind: str, sample: tuple[Path, bytes, bytes], tmp_path: Path
) -> None:
    enc, _, cmac = sample
    bad = _write(tmp_path, flip(enc.read_bytes(), node * NODE + offset))
    with pytest.raises(TamperedNode) as info:
        decrypt_file(CRYPTO, bad, tmp_path / "out", cmac=cmac)
    assert (info.value.node, info.value.kind) == (node, kind)
    assert not (tmp_path / "out").exists()


def test_swapped_data_nodes(sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    data = bytearray(enc.read_bytes())
    data[2 * NODE : 3 * NODE], data[3 * NODE : 4 * NODE] = (
        data[3 * NODE : 4 * NODE],
        data[2 * NODE : 3 * NODE],
    )
    with pytest.raises(TamperedNode):
        decrypt_file(CRYPTO, _write(tmp_path, bytes(data)), tmp_path / "out", cmac=cmac)


@pytest.mark.parametrize("keep", [0, 50, 4095, 4096, 100 * NODE, 101 * NODE - 1])
def test_truncated(keep: int, sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    with pytest.raises(TruncatedFile):
        decrypt_file(CRYPTO, _write(tmp_path, enc.read_bytes()[:keep]), tmp_path / "out", cmac=cmac)


def test_appended_node(sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    with pytest.raises(MalformedFile, match="more than its content"):
        decrypt_file(CRYPTO, _write(tmp_path, enc.read_bytes() + bytes(NODE)), tmp_path / "out", cmac=cmac)


def test_wrong_key(sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    with pytest.raises(DecryptionFailed, match="wrong key"):
        decrypt_file(FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16)), enc, tmp_path / "out", cmac=cmac)


def test_file_is_bound_to_its_name(sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, content, cmac = sample
    renamed = _write(tmp_path, enc.read_bytes(), "renamed.enc")
    with pytest.raises(WrongFileName) as info:
        decrypt_file(CRYPTO, renamed, tmp_path / "out", cmac=cmac)
    assert (info.value.expected, info.value.stored) == ("renamed.enc", "sample.enc")
    out = io.BytesIO()
    decrypt_file(CRYPTO, renamed, out, cmac=cmac, name="sample.enc")
    assert out.getvalue() == content


def test_existing_output_is_untouched_on_failure(sample: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    enc, _, cmac = sample
    out = tmp_path / "out"
    out.write_bytes(b"previous")
    bad = _write(tmp_path, flip(enc.read_bytes(), 99 * NODE))
    with pytest.raises(FileCryptoError):
        decrypt_file(CRYPTO, bad, out, cmac=cmac)
    assert out.read_bytes() == b"previous"
    assert {p.name for p in tmp_path.iterdir()} == {"out", "sample.enc"}  # no staging file left


def test_file_object_output_receives_nothing_on_failure(
    sample: tuple[Path, bytes, bytes], tmp_path: Path
) -> None:
    enc, _, cmac = sample
    bad = _write(tmp_path, flip(enc.read_bytes(), 100 * NODE + 5))  # the very last node
    out = io.BytesIO()
    with pytest.raises(TamperedNode):
        decrypt_file(CRYPTO, bad, out, cmac=cmac)
    assert out.getvalue() == b""


@pytest.mark.parametrize("name", ["", "a/b", "x" * 259, "nul\0"])
def test_unstorable_names(name: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidFileName):
        encrypt_file(CRYPTO, io.BytesIO(b"x"), io.BytesIO(), name=name)


def test_file_object_needs_a_name() -> None:
    with pytest.raises(InvalidFileName, match="pass name="):
        encrypt_file(CRYPTO, io.BytesIO(b"x"), io.BytesIO())


def test_longest_name() -> None:
    name = "n" * 258  # longer than Linux allows for a path component, but the format stores it
    buf = io.BytesIO()
    cmac = encrypt_file(CRYPTO, io.BytesIO(b"data"), buf, name=name)
    buf.seek(0)
    out = io.BytesIO()
    assert decrypt_file(CRYPTO, buf, out, name=name) == cmac
    assert out.getvalue() == b"data"
