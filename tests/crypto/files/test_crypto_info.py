import json

import pytest

from teahouse.crypto.files import (
    FileCrypto,
    InvalidFileCrypto,
    Schema,
    UnknownSchema,
    validate_cmac,
)
from teahouse.errors import Code, InvalidArgument


@pytest.mark.parametrize(
    ("schema", "key", "iv", "json_value"),
    [
        ("aes-gcm-128", bytes(range(16)), bytes(12), {"AesGcm128": {"key": list(range(16)), "iv": [0] * 12}}),
        ("aes-gcm-256", bytes(32), b"\x01" * 12, {"AesGcm256": {"key": [0] * 32, "iv": [1] * 12}}),
        ("teaclave-file-128", b"\x07" * 16, b"", {"TeaclaveFile128": {"key": [7] * 16}}),
        ("raw", b"", b"", "Raw"),
    ],
)
def test_wire_and_json_round_trip(schema: str, key: bytes, iv: bytes, json_value: object) -> None:
    crypto = FileCrypto.from_wire(schema, key, iv)
    assert crypto.schema == Schema(schema)
    assert crypto.to_wire() == (schema, key, iv)
    assert crypto.to_json() == json_value
    # Through real JSON text, as the storage service keeps it.
    assert FileCrypto.from_json(json.loads(json.dumps(crypto.to_json()))) == crypto


def test_raw_ignores_key_and_iv() -> None:
    crypto = FileCrypto.from_wire("raw", b"k" * 5, b"i" * 3)
    assert crypto.to_wire() == ("raw", b"", b"")


@pytest.mark.parametrize(
    ("schema", "key", "iv", "message"),
    [
        ("aes-gcm-128", bytes(15), bytes(12), "aes-gcm-128 key must be 16 bytes, got 15"),
        ("aes-gcm-128", bytes(16), bytes(11), "aes-gcm-128 iv must be 12 bytes, got 11"),
        ("aes-gcm-128", bytes(32), bytes(12), "aes-gcm-128 key must be 16 bytes, got 32"),
        ("aes-gcm-256", bytes(16), bytes(12), "aes-gcm-256 key must be 32 bytes, got 16"),
        ("aes-gcm-256", bytes(32), b"", "aes-gcm-256 iv must be 12 bytes, got 0"),
        ("teaclave-file-128", bytes(16), bytes(12), "teaclave-file-128 iv must be empty, got 12 bytes"),
        ("teaclave-file-128", bytes(32), b"", "teaclave-file-128 key must be 16 bytes, got 32"),
    ],
)
def test_bad_sizes_say_what_is_wrong(schema: str, key: bytes, iv: bytes, message: str) -> None:
    with pytest.raises(InvalidFileCrypto) as info:
        FileCrypto.from_wire(schema, key, iv)
    assert info.value.message == message
    assert isinstance(info.value, InvalidArgument)
    assert info.value.code == Code.INVALID_ARGUMENT


@pytest.mark.parametrize("schema", ["", "AES-GCM-128", "aes-gcm-192", "teaclave-file-256", "s3"])
def test_unknown_schema(schema: str) -> None:
    with pytest.raises(UnknownSchema, match="unknown crypto schema"):
        FileCrypto.from_wire(schema, bytes(16), bytes(12))


def test_constructor_accepts_schema_strings() -> None:
    assert FileCrypto("teaclave-file-128", bytes(16)).schema is Schema.TEACLAVE_FILE_128  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "raw",
        None,
        [],
        {},
        {"AesGcm128": {"key": [0] * 16}},
        {"AesGcm128": {"key": [0] * 16, "iv": [0] * 12, "extra": 1}},
        {"AesGcm128": {"key": [0] * 16, "iv": [0] * 11}},
        {"AesGcm128": {"key": [256] + [0] * 15, "iv": [0] * 12}},
        {"AesGcm128": {"key": "00" * 16, "iv": [0] * 12}},
        {"AesGcm128": {"key": [True] * 16, "iv": [0] * 12}},
        {"TeaclaveFile128": {"key": [0] * 16, "iv": []}},
        {"TeaclaveFile128": [0] * 16},
        {"AesGcm64": {"key": [0] * 8, "iv": [0] * 12}},
        {"Raw": {}, "AesGcm128": {}},
    ],
)
def test_from_json_rejects(value: object) -> None:
    with pytest.raises(InvalidFileCrypto):
        FileCrypto.from_json(value)


def test_generate_makes_fresh_valid_keys() -> None:
    a = FileCrypto.generate(Schema.TEACLAVE_FILE_128)
    b = FileCrypto.generate(Schema.TEACLAVE_FILE_128)
    assert len(a.key) == 16 and a.iv == b"" and a.key != b.key
    c = FileCrypto.generate(Schema.AES_GCM_256)
    assert len(c.key) == 32 and len(c.iv) == 12
    assert FileCrypto.generate(Schema.RAW) == FileCrypto(Schema.RAW)


def test_repr_hides_the_key() -> None:
    crypto = FileCrypto(Schema.AES_GCM_128, b"\xab" * 16, bytes(12))
    assert "ab" not in repr(crypto)
    assert "16 bytes" in repr(crypto)


def test_validate_cmac() -> None:
    assert validate_cmac(bytes(16)) == bytes(16)
    with pytest.raises(InvalidFileCrypto, match="cmac must be 16 bytes, got 15"):
        validate_cmac(bytes(15))
