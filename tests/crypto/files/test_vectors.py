"""Known-answer tests: Teaclave's own encrypted fixtures (spec/behaviour.md §4.2, §4.8)."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from teahouse.crypto.files import FileCrypto, Schema, decrypt_file, encrypt_file, file_cmac

from . import reference_pfs

VECTORS = Path(__file__).parent / "vectors"
_ALL = json.loads((VECTORS / "vectors.json").read_text())
PFS_KEY = bytes.fromhex(_ALL["teaclave-file-128"]["key"])
PFS: list[dict[str, Any]] = _ALL["teaclave-file-128"]["files"]
AES: list[dict[str, Any]] = _ALL["aes-gcm"]


@pytest.mark.parametrize("vector", PFS, ids=[v["file"] for v in PFS])
def test_teaclave_file_fixture_decrypts_with_listed_cmac(vector: dict[str, Any], tmp_path: Path) -> None:
    enc = VECTORS / vector["file"]
    plain = (VECTORS / vector["plaintext"]).read_bytes()
    cmac = bytes.fromhex(vector["cmac"])
    assert enc.stat().st_size == vector["nodes"] * 4096
    assert len(plain) == vector["size"]

    out = tmp_path / "plain"
    crypto = FileCrypto(Schema.TEACLAVE_FILE_128, PFS_KEY)
    assert decrypt_file(crypto, enc, out, cmac=cmac) == cmac
    assert out.read_bytes() == plain
    assert file_cmac(Schema.TEACLAVE_FILE_128, enc) == cmac
    # The oracle agrees.
    assert reference_pfs.read(str(enc), PFS_KEY, cmac) == (plain, cmac)


@pytest.mark.parametrize("vector", AES, ids=[f"{v['schema']}:{v['plaintext']}" for v in AES])
def test_aes_gcm_vectors(vector: dict[str, Any], tmp_path: Path) -> None:
    crypto = FileCrypto.from_wire(vector["schema"], bytes.fromhex(vector["key"]), bytes.fromhex(vector["iv"]))
    plain = (VECTORS / vector["plaintext"]).read_bytes()
    cmac = bytes.fromhex(vector["cmac"])

    enc = tmp_path / "enc"
    assert encrypt_file(crypto, VECTORS / vector["plaintext"], enc) == cmac
    # Independent check: one-shot AESGCM with the 8-zero-byte associated data.
    assert enc.read_bytes() == AESGCM(crypto.key).encrypt(crypto.iv, plain, bytes(8))
    if "file" in vector:
        assert enc.read_bytes() == (VECTORS / vector["file"]).read_bytes()

    out = io.BytesIO()
    assert decrypt_file(crypto, enc, out, cmac=cmac) == cmac
    assert out.getvalue() == plain
    assert file_cmac(crypto.schema, enc) == cmac
