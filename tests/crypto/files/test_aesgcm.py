"""aes-gcm-128 / aes-gcm-256 whole-file encryption."""

import io
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from teahouse.crypto.files import (
    CmacMismatch,
    DecryptionFailed,
    FileCrypto,
    InvalidFileCrypto,
    Schema,
    TruncatedFile,
    UnsupportedSchema,
    decrypt_file,
    encrypt_file,
    file_cmac,
)

from .helpers import Unseekable, flip

CRYPTOS = [
    FileCrypto(Schema.AES_GCM_128, bytes(range(16)), bytes(range(12))),
    FileCrypto(Schema.AES_GCM_256, bytes(range(32)), bytes(range(12, 24))),
]
CHUNK = 1 << 20


@pytest.mark.parametrize("crypto", CRYPTOS, ids=lambda c: c.schema.value)
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 4095, 4096, 4097, CHUNK - 1, CHUNK, CHUNK + 17])
def test_round_trip_matches_one_shot_aesgcm(crypto: FileCrypto, size: int, tmp_path: Path) -> None:
    content = os.urandom(size)
    enc = tmp_path / "f.enc"
    tag = encrypt_file(crypto, io.BytesIO(content), enc)
    expected = AESGCM(crypto.key).encrypt(crypto.iv, content, bytes(8))
    assert enc.read_bytes() == expected
    assert tag == expected[-16:] == file_cmac(crypto.schema, enc)
    out = io.BytesIO()
    assert decrypt_file(crypto, enc, out, cmac=tag) == tag
    assert out.getvalue() == content
    # The same from a pipe, where the tag is only found at the end.
    out = io.BytesIO()
    assert decrypt_file(crypto, Unseekable(expected, 70_000), out, cmac=tag) == tag
    assert out.getvalue() == content


def test_twenty_megabytes(tmp_path: Path) -> None:
    crypto = CRYPTOS[0]
    content = os.urandom(20 * 1000 * 1000)
    (tmp_path / "p").write_bytes(content)
    tag = encrypt_file(crypto, tmp_path / "p", tmp_path / "e")
    decrypt_file(crypto, tmp_path / "e", tmp_path / "d", cmac=tag)
    assert (tmp_path / "d").read_bytes() == content


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, bytes]:
    enc = tmp_path / "sample"
    tag = encrypt_file(CRYPTOS[0], io.BytesIO(os.urandom(3 * CHUNK // 2)), enc)
    return enc, tag


@pytest.mark.parametrize("at", [0, 1000, CHUNK - 1, CHUNK, 3 * CHUNK // 2 - 1, -16, -1])
def test_any_flipped_byte_is_detected(at: int, sample: tuple[Path, bytes], tmp_path: Path) -> None:
    enc, tag = sample
    data = enc.read_bytes()
    bad = tmp_path / "bad"
    bad.write_bytes(flip(data, at % len(data)))
    out = tmp_path / "out"
    with pytest.raises(DecryptionFailed):
        decrypt_file(CRYPTOS[0], bad, out)
    assert not out.exists()
    with pytest.raises((DecryptionFailed, CmacMismatch)):
        decrypt_file(CRYPTOS[0], Unseekable(bad.read_bytes()), io.BytesIO(), cmac=tag)


def test_nothing_reaches_a_file_object_before_the_tag_verifies(sample: tuple[Path, bytes]) -> None:
    enc, _ = sample
    out = io.BytesIO()
    with pytest.raises(DecryptionFailed):
        decrypt_file(CRYPTOS[0], Unseekable(flip(enc.read_bytes(), -1)), out)
    assert out.getvalue() == b""


def test_wrong_key_or_iv(sample: tuple[Path, bytes], tmp_path: Path) -> None:
    enc, _ = sample
    for crypto in [
        FileCrypto(Schema.AES_GCM_128, bytes(16), CRYPTOS[0].iv),
        FileCrypto(Schema.AES_GCM_128, CRYPTOS[0].key, bytes(12)),
    ]:
        with pytest.raises(DecryptionFailed, match="wrong key or iv"):
            decrypt_file(crypto, enc, tmp_path / "out")


def test_cmac_mismatch_is_checked_before_decrypting(sample: tuple[Path, bytes], tmp_path: Path) -> None:
    enc, tag = sample
    other = bytes(16)
    # Even under a wrong key, a seekable file reports the cmac first, as Teaclave checks it first.
    wrong_key = FileCrypto(Schema.AES_GCM_128, bytes(16), CRYPTOS[0].iv)
    with pytest.raises(CmacMismatch) as info:
        decrypt_file(wrong_key, enc, tmp_path / "out", cmac=other)
    assert str(info.value) == f"cmac mismatch: expected {other.hex()}, file has {tag.hex()}"


@pytest.mark.parametrize("size", [0, 1, 15])
def test_shorter_than_a_tag(size: int, tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_bytes(bytes(size))
    with pytest.raises(TruncatedFile):
        decrypt_file(CRYPTOS[0], short, tmp_path / "out")
    with pytest.raises(TruncatedFile):
        decrypt_file(CRYPTOS[0], Unseekable(bytes(size)), io.BytesIO())
    with pytest.raises(TruncatedFile):
        file_cmac(Schema.AES_GCM_128, short)


def test_truncated_file_fails(sample: tuple[Path, bytes], tmp_path: Path) -> None:
    enc, _ = sample
    cut = tmp_path / "cut"
    cut.write_bytes(enc.read_bytes()[:-100])
    with pytest.raises(DecryptionFailed):
        decrypt_file(CRYPTOS[0], cut, tmp_path / "out")


def test_raw_is_not_a_cipher(tmp_path: Path) -> None:
    raw = FileCrypto(Schema.RAW)
    with pytest.raises(UnsupportedSchema):
        encrypt_file(raw, io.BytesIO(b"x"), io.BytesIO())
    with pytest.raises(UnsupportedSchema):
        decrypt_file(raw, io.BytesIO(b"x"), io.BytesIO())


def test_bad_expected_cmac_length(sample: tuple[Path, bytes], tmp_path: Path) -> None:
    enc, tag = sample
    with pytest.raises(InvalidFileCrypto, match="cmac must be 16 bytes"):
        decrypt_file(CRYPTOS[0], enc, tmp_path / "out", cmac=tag[:8])


def test_decrypt_in_place(sample: tuple[Path, bytes]) -> None:
    enc, tag = sample
    ciphertext = enc.read_bytes()
    decrypt_file(CRYPTOS[0], enc, enc, cmac=tag)
    assert enc.read_bytes() == AESGCM(CRYPTOS[0].key).decrypt(CRYPTOS[0].iv, ciphertext, bytes(8))
