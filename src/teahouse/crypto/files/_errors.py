"""Errors of the file-crypto formats.

::

    FileCryptoError (DomainError)
    ├── InvalidFileCrypto (also InvalidArgument)   bad schema, key or iv
    │   └── UnknownSchema
    ├── UnsupportedSchema      the operation has no meaning for the schema (raw outputs)
    ├── DecryptionFailed       wrong key, or the authenticated part was modified
    ├── CmacMismatch           the file's cmac is not the expected one
    ├── TruncatedFile          the file is shorter than its format requires
    ├── MalformedFile          not a file of the schema, or not as Teaclave writes it
    ├── TamperedNode           a node of a teaclave-file-128 file fails authentication
    ├── WrongFileName          a teaclave-file-128 file opened under another name
    └── InvalidFileName        a name that teaclave-file-128 cannot store

Decryption never yields plaintext from a file that raised one of these.
"""

from __future__ import annotations

from teahouse.errors import Code, DomainError, InvalidArgument


class FileCryptoError(DomainError):
    """Base of every failure to encrypt, decrypt or verify a user file."""

    message = "file crypto error"


class InvalidFileCrypto(FileCryptoError, InvalidArgument):
    """A crypto description (schema, key, iv) that does not validate."""

    code = Code.INVALID_ARGUMENT
    message = "invalid file crypto info"


class UnknownSchema(InvalidFileCrypto):
    message = "unknown crypto schema"


class UnsupportedSchema(FileCryptoError):
    message = "operation not supported for this crypto schema"


class DecryptionFailed(FileCryptoError):
    message = "decryption failed: wrong key, or the file was modified"


class CmacMismatch(FileCryptoError):
    """The file's cmac differs from the registered one; both are kept as bytes."""

    def __init__(self, expected: bytes, actual: bytes) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"cmac mismatch: expected {expected.hex()}, file has {actual.hex()}")


class TruncatedFile(FileCryptoError):
    message = "file is truncated"


class MalformedFile(FileCryptoError):
    message = "malformed file"


class TamperedNode(FileCryptoError):
    """A data or MHT node whose GCM tag does not verify (``node`` = physical node number)."""

    def __init__(self, node: int, kind: str) -> None:
        self.node = node
        self.kind = kind
        super().__init__(f"{kind} node {node} failed authentication: the file was modified")


class WrongFileName(FileCryptoError):
    """teaclave-file-128 binds a file to the name it was written under."""

    def __init__(self, expected: str, stored: str) -> None:
        self.expected = expected
        self.stored = stored
        super().__init__(
            f"file name mismatch: opened as {expected!r} but the file was written as {stored!r}"
            " (teaclave-file-128 files must keep their name)"
        )


class InvalidFileName(FileCryptoError):
    message = "invalid teaclave-file-128 file name"
