"""Encrypt and decrypt user files by schema, streaming from and to paths or file objects."""

from __future__ import annotations

import os
from pathlib import Path

from teahouse.crypto.files import _aesgcm, _pfs_reader, _pfs_writer
from teahouse.crypto.files._crypto_info import FileCrypto, Schema, validate_cmac
from teahouse.crypto.files._errors import InvalidFileName, UnsupportedSchema
from teahouse.crypto.files._io import (
    PathOrFile,
    basename,
    is_seekable,
    open_source,
    spooled_copy,
    staged_output,
)


def encrypt_file(crypto: FileCrypto, src: PathOrFile, dst: PathOrFile, *, name: str | None = None) -> bytes:
    """Encrypt the plaintext ``src`` into ``dst`` and return the file's 16-byte cmac.

    ``teaclave-file-128`` binds the file to ``name``, by default the basename of ``dst`` (required
    when ``dst`` is a file object). ``dst`` appears only once complete. ``raw`` has no cmac and
    raises ``UnsupportedSchema``.
    """
    _require_encrypted(crypto, "encrypt")
    if crypto.schema is Schema.TEACLAVE_FILE_128:
        stored = _file_name(name, dst)
    with open_source(src) as fin, staged_output(dst) as fout:
        if crypto.schema is Schema.TEACLAVE_FILE_128:
            return _pfs_writer.encrypt(fin, fout, crypto.key, stored)
        return _aesgcm.encrypt(crypto, fin, fout)


def decrypt_file(
    crypto: FileCrypto,
    src: PathOrFile,
    dst: PathOrFile,
    *,
    cmac: bytes | None = None,
    name: str | None = None,
) -> bytes:
    """Decrypt ``src`` into ``dst`` and return the file's cmac; raise ``FileCryptoError`` otherwise.

    With ``cmac``, the file's cmac must equal it (checked before decrypting when ``src`` is
    seekable). ``teaclave-file-128`` files must have been written under ``name``, by default the
    basename of ``src``. Plaintext is staged privately and reaches ``dst`` only after the whole
    file verified; on error ``dst`` is untouched.
    """
    _require_encrypted(crypto, "decrypt")
    if cmac is not None:
        cmac = validate_cmac(cmac)
    with open_source(src) as fin, staged_output(dst) as fout:
        if crypto.schema is Schema.TEACLAVE_FILE_128:
            stored = _file_name(name, src)
            if is_seekable(fin):
                return _pfs_reader.decrypt(fin, fout, crypto.key, stored, cmac)
            with spooled_copy(fin) as copy:
                return _pfs_reader.decrypt(copy, fout, crypto.key, stored, cmac)
        return _aesgcm.decrypt(crypto, fin, fout, cmac)


def file_cmac(schema: Schema, src: PathOrFile) -> bytes:
    """The cmac an encrypted file carries, read without a key (nothing is verified)."""
    with open_source(src) as fin:
        if not is_seekable(fin):
            raise ValueError("file_cmac needs a seekable file")
        if schema is Schema.TEACLAVE_FILE_128:
            return _pfs_reader.read_cmac(fin)
        if schema in (Schema.AES_GCM_128, Schema.AES_GCM_256):
            return _aesgcm.read_tag(fin)
    raise UnsupportedSchema(f"{schema} files carry no cmac")


def _require_encrypted(crypto: FileCrypto, what: str) -> None:
    if crypto.schema is Schema.RAW:
        raise UnsupportedSchema(f"cannot {what} with schema raw: raw files are plaintext and have no cmac")


def _file_name(name: str | None, target: PathOrFile) -> str:
    if name is not None:
        return name
    found = basename(target)
    if found is None:
        attr = getattr(target, "name", None)
        found = Path(attr).name if isinstance(attr, str | os.PathLike) else None
    if not found:
        raise InvalidFileName("teaclave-file-128 binds files to a name: pass name= for a file object")
    return found

