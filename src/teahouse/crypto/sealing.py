"""Sealing data at rest: AES-256-GCM under a key from the TEE, bound to where the data lives.

Blob format (version 1): ``b"\\x01"`` ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag. The
associated data names the record (for a storage value: its key), so a sealed value moved to
another key no longer opens.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
_NONCE = 12


class SealedDataError(Exception):
    """A sealed blob is corrupt, was moved, or was sealed under another key."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("sealing keys are 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return bytes([VERSION]) + nonce + self._aead.encrypt(nonce, plaintext, associated_data)

    def unseal(self, blob: bytes, associated_data: bytes) -> bytes:
        if len(blob) < 1 + _NONCE + 16:
            raise SealedDataError("sealed blob is truncated")
        if blob[0] != VERSION:
            raise SealedDataError(f"unknown sealed blob version {blob[0]}")
        nonce, body = blob[1 : 1 + _NONCE], blob[1 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, body, associated_data)
        except InvalidTag:
            raise SealedDataError("sealed blob does not open (tampered, moved or wrong key)") from None
