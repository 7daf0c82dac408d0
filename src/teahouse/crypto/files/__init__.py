"""User-file crypto: the schemas of FileCryptoInfo and their file formats.

``aes-gcm-128`` / ``aes-gcm-256`` (whole-file AES-GCM, ciphertext then tag), ``teaclave-file-128``
(Intel SGX protected-FS files as Teaclave's SGX SDK 2.0 writes them) and ``raw``.
"""

from teahouse.crypto.files._crypto_info import CMAC_SIZE, FileCrypto, Schema, validate_cmac
from teahouse.crypto.files._errors import (
    CmacMismatch,
    DecryptionFailed,
    FileCryptoError,
    InvalidFileCrypto,
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
    "MalformedFile",
    "Schema",
    "TamperedNode",
    "TruncatedFile",
    "UnknownSchema",
    "UnsupportedSchema",
    "WrongFileName",
    "validate_cmac",
]
