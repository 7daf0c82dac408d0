"""``FileCrypto``: how one user file is encrypted (Teaclave's FileCryptoInfo / FileCrypto)."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from typing import Any

from teahouse.crypto.files._errors import InvalidFileCrypto, UnknownSchema

CMAC_SIZE = 16
"""Length of every cmac (authentication tag) of a user file."""


class Schema(enum.StrEnum):
    """The schema strings of FileCryptoInfo.schema."""

    AES_GCM_128 = "aes-gcm-128"
    AES_GCM_256 = "aes-gcm-256"
    TEACLAVE_FILE_128 = "teaclave-file-128"
    RAW = "raw"


# schema -> (key size, iv size, name in Teaclave's JSON storage layout)
_SIZES: dict[Schema, tuple[int, int, str]] = {
    Schema.AES_GCM_128: (16, 12, "AesGcm128"),
    Schema.AES_GCM_256: (32, 12, "AesGcm256"),
    Schema.TEACLAVE_FILE_128: (16, 0, "TeaclaveFile128"),
}
_BY_JSON_NAME = {name: schema for schema, (_, _, name) in _SIZES.items()}
_RAW_JSON = "Raw"


def _parse_schema(schema: str) -> Schema:
    try:
        return Schema(schema)
    except ValueError:
        known = ", ".join(s.value for s in Schema)
        raise UnknownSchema(f"unknown crypto schema {schema!r} (expected one of {known})") from None


@dataclass(frozen=True, repr=False)
class FileCrypto:
    """Schema, key and iv of one user file; validated on construction.

    ``raw`` carries no key material: whatever key/iv a request sends with it is ignored, as
    Teaclave does. The key never appears in ``repr``.
    """

    schema: Schema
    key: bytes = b""
    iv: bytes = b""

    def __post_init__(self) -> None:
        if not isinstance(self.schema, Schema):
            object.__setattr__(self, "schema", _parse_schema(str(self.schema)))
        if self.schema is Schema.RAW:
            object.__setattr__(self, "key", b"")
            object.__setattr__(self, "iv", b"")
            return
        key_size, iv_size, _ = _SIZES[self.schema]
        if len(self.key) != key_size:
            raise InvalidFileCrypto(f"{self.schema} key must be {key_size} bytes, got {len(self.key)}")
        if iv_size == 0 and self.iv:
            raise InvalidFileCrypto(f"{self.schema} iv must be empty, got {len(self.iv)} bytes")
        if iv_size and len(self.iv) != iv_size:
            raise InvalidFileCrypto(f"{self.schema} iv must be {iv_size} bytes, got {len(self.iv)}")
        object.__setattr__(self, "key", bytes(self.key))
        object.__setattr__(self, "iv", bytes(self.iv))

    def __repr__(self) -> str:
        return f"FileCrypto(schema={self.schema.value!r}, key=<{len(self.key)} bytes>, iv={self.iv.hex()!r})"

    @classmethod
    def from_wire(cls, schema: str, key: bytes, iv: bytes) -> FileCrypto:
        """Build from the fields of a FileCryptoInfo message; raises ``InvalidFileCrypto``."""
        return cls(_parse_schema(schema), key, iv)

    def to_wire(self) -> tuple[str, bytes, bytes]:
        """The FileCryptoInfo fields ``(schema, key, iv)``."""
        return self.schema.value, self.key, self.iv

    @classmethod
    def generate(cls, schema: Schema) -> FileCrypto:
        """A fresh random key (and iv) for ``schema``, e.g. the key of a fusion output."""
        if schema is Schema.RAW:
            return cls(schema)
        key_size, iv_size, _ = _SIZES[schema]
        return cls(schema, os.urandom(key_size), os.urandom(iv_size))

    def to_json(self) -> dict[str, Any] | str:
        """Teaclave's storage layout (serde's default for its ``FileCrypto`` enum), as a JSON value.

        ``{"AesGcm128": {"key": [..], "iv": [..]}}``, ``{"TeaclaveFile128": {"key": [..]}}`` or ``"Raw"``.
        """
        if self.schema is Schema.RAW:
            return _RAW_JSON
        name = _SIZES[self.schema][2]
        body: dict[str, list[int]] = {"key": list(self.key)}
        if self.schema is not Schema.TEACLAVE_FILE_128:
            body["iv"] = list(self.iv)
        return {name: body}

    @classmethod
    def from_json(cls, value: object) -> FileCrypto:
        """Inverse of :meth:`to_json` (takes the decoded JSON value, not the text)."""
        if value == _RAW_JSON:
            return cls(Schema.RAW)
        if not isinstance(value, dict) or len(value) != 1:
            raise InvalidFileCrypto(f"not a FileCrypto JSON value: {_short(value)}")
        ((name, body),) = value.items()
        schema = _BY_JSON_NAME.get(name)
        if schema is None:
            raise UnknownSchema(f"unknown FileCrypto variant {name!r}")
        if not isinstance(body, dict):
            raise InvalidFileCrypto(f"{name} must be an object, got {_short(body)}")
        expected = {"key"} if schema is Schema.TEACLAVE_FILE_128 else {"key", "iv"}
        if set(body) != expected:
            raise InvalidFileCrypto(
                f"{name} must have exactly the fields {sorted(expected)}, got {sorted(body)}"
            )
        key = _byte_array(body["key"], f"{name}.key")
        iv = _byte_array(body["iv"], f"{name}.iv") if "iv" in body else b""
        return cls(schema, key, iv)


def validate_cmac(cmac: bytes) -> bytes:
    """Return ``cmac`` if it has the size of a file cmac, else raise ``InvalidFileCrypto``."""
    if len(cmac) != CMAC_SIZE:
        raise InvalidFileCrypto(f"cmac must be {CMAC_SIZE} bytes, got {len(cmac)}")
    return bytes(cmac)


def _byte_array(value: object, what: str) -> bytes:
    if not isinstance(value, list) or not all(
        isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in value
    ):
        raise InvalidFileCrypto(f"{what} must be an array of byte values, got {_short(value)}")
    return bytes(value)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
