"""Encrypting, uploading, downloading and decrypting user files, on ``teahouse.crypto.files``
and the file agent."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from teahouse.crypto.files import FileCrypto, Schema, UnknownSchema, encrypt_file
from teahouse.fileagent import FileAgent

#: A local file, or the plaintext itself.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview

_AES_GCM_IV = 12


def as_url(url_or_path: str | os.PathLike[str]) -> str:
    """A URL as given (``file://``, ``http(s)://``...), or a local path as a ``file://`` URL."""
    if isinstance(url_or_path, str) and "://" in url_or_path:
        return url_or_path
    return Path(url_or_path).resolve().as_uri()


def new_crypto(schema: str | Schema, key: bytes | None) -> FileCrypto:
    """A random key (and iv) for ``schema``, or the given ``key`` with a fresh random iv."""
    try:
        parsed = Schema(schema)
    except ValueError:
        raise UnknownSchema(f"unknown crypto schema {schema!r}") from None
    if key is None:
        return FileCrypto.generate(parsed)
    iv = os.urandom(_AES_GCM_IV) if parsed in (Schema.AES_GCM_128, Schema.AES_GCM_256) else b""
    return FileCrypto(parsed, bytes(key), iv)


def _stored_name(url: str) -> str:
    # The name a teaclave-file-128 file is bound to: the URL's last path segment, as written,
    # which is the name the execution service opens it under.
    return urlsplit(url).path.rsplit("/", 1)[-1]


async def encrypt_and_upload(agent: FileAgent, source: Source, url: str, crypto: FileCrypto) -> bytes:
    """Encrypt ``source`` for ``url`` in a private temporary folder, upload it, return its cmac."""
    with tempfile.TemporaryDirectory(prefix="teahouse-upload-") as tmp:
        cipher = Path(tmp) / "ciphertext"
        if isinstance(source, bytes | bytearray | memoryview):
            plain = Path(tmp) / "plaintext"
            plain.write_bytes(bytes(source))
        else:
            plain = Path(source)
        cmac = await asyncio.to_thread(encrypt_file, crypto, plain, cipher, name=_stored_name(url))
        await agent.upload(cipher, url)
    return cmac


async def download_and_decrypt(agent: FileAgent, url: str, crypto: FileCrypto, cmac: bytes) -> bytes:
    """Fetch ``url``, check its cmac, decrypt it, and return the plaintext."""
    with tempfile.TemporaryDirectory(prefix="teahouse-fetch-") as tmp:
        plain = Path(tmp) / "plaintext"
        await agent.fetch_input(url, crypto, cmac, plain)
        return await asyncio.to_thread(plain.read_bytes)
