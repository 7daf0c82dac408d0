"""User-file crypto: the schemas of FileCryptoInfo and their file formats.

``aes-gcm-128`` / ``aes-gcm-256`` (whole-file AES-GCM, ciphertext then tag), ``teaclave-file-128``
(Intel SGX protected-FS files as Teaclave's SGX SDK 2.0 writes them) and ``raw``.

``encrypt_file`` / ``decrypt_file`` stream from and to paths or binary file objects in bounded
memory and return the file's cmac; every verification failure raises a ``FileCryptoError``
subclass naming the cause, and no plaintext is released from a file that fails.
"""

from teahouse.crypto.files._api import decrypt_file, encrypt_file, file_cmac
from teahouse.crypto.files._crypto_info import CMAC_SIZE, FileCrypto, Schema, validate_cmac
from teahouse.crypto.files._errors import (
    CmacMismatch,
    DecryptionFailed,
    FileCryptoError,
    InvalidFileCrypto,
    InvalidFileName,
    MalformedFile,
    TamperedNode,
    TruncatedFile,
    UnknownSchema,
    UnsupportedSchema,
    WrongFileName,
)

__all__ = [
    "CMAC_SIZE",
    "CmacMismatch",
    "DecryptionFailed",
    "FileCrypto",
    "FileCryptoError",
    "InvalidFileCrypto",
    "InvalidFileName",
    "MalformedFile",
    "Schema",
    "TamperedNode",
    "TruncatedFile",
    "UnknownSchema",
    "UnsupportedSchema",
    "WrongFileName",
    "decrypt_file",
    "encrypt_file",
    "file_cmac",
    "validate_cmac",
]
