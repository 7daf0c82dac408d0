"""Whole-file AES-GCM (``aes-gcm-128`` / ``aes-gcm-256``): ciphertext followed by the 16-byte tag.

The associated data is 8 zero bytes, as Teaclave's file crypto uses; the tag is the file's cmac.
"""

from __future__ import annotations

import hmac
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from teahouse.crypto.files._crypto_info import CMAC_SIZE, FileCrypto
from teahouse.crypto.files._errors import CmacMismatch, DecryptionFailed, TruncatedFile
from teahouse.crypto.files._io import CHUNK, is_seekable

AAD = bytes(8)


def encrypt(crypto: FileCrypto, src: BinaryIO, dst: BinaryIO) -> bytes:
    """Encrypt all of ``src`` into ``dst``; return the tag."""
    encryptor = Cipher(algorithms.AES(crypto.key), modes.GCM(crypto.iv)).encryptor()
    encryptor.authenticate_additional_data(AAD)
    while chunk := src.read(CHUNK):
        dst.write(encryptor.update(chunk))
    dst.write(encryptor.finalize())
    dst.write(encryptor.tag)
    return encryptor.tag


def read_tag(src: BinaryIO) -> bytes:
    """The trailing tag of a seekable ciphertext, leaving the position unchanged."""
    start = src.tell()
    size = src.seek(0, 2) - start
    if size < CMAC_SIZE:
        src.seek(start)
        raise TruncatedFile(f"aes-gcm file is {size} bytes, shorter than its {CMAC_SIZE}-byte tag")
    src.seek(-CMAC_SIZE, 2)
    tag = src.read(CMAC_SIZE)
    src.seek(start)
    return tag


def check_cmac(expected: bytes, actual: bytes) -> None:
    if not hmac.compare_digest(expected, actual):
        raise CmacMismatch(expected, actual)


def decrypt(crypto: FileCrypto, src: BinaryIO, dst: BinaryIO, expected_cmac: bytes | None) -> bytes:
    """Decrypt ``src`` into ``dst`` and return the tag; raise before returning if it does not verify.

    ``dst`` receives unauthenticated plaintext as it goes, so it must be a staging file that is
    discarded on error. A seekable source has its cmac checked before any decryption.
    """
    if expected_cmac is not None and is_seekable(src):
        check_cmac(expected_cmac, read_tag(src))
    decryptor = Cipher(algorithms.AES(crypto.key), modes.GCM(crypto.iv)).decryptor()
    decryptor.authenticate_additional_data(AAD)
    held = b""  # the last CMAC_SIZE bytes seen, which may be the tag
    total = 0
    while chunk := src.read(CHUNK):
        total += len(chunk)
        data = held + chunk if held else chunk
        if len(data) > CMAC_SIZE:
            dst.write(decryptor.update(memoryview(data)[:-CMAC_SIZE]))
            held = data[-CMAC_SIZE:]
        else:
            held = data
    if total < CMAC_SIZE:
        raise TruncatedFile(f"aes-gcm file is {total} bytes, shorter than its {CMAC_SIZE}-byte tag")
    tag = held
    if expected_cmac is not None:
        check_cmac(expected_cmac, tag)
    try:
        dst.write(decryptor.finalize_with_tag(tag))
    except InvalidTag:
        raise DecryptionFailed(
            "aes-gcm tag does not verify: wrong key or iv, or the file was modified"
        ) from None
    return tag
