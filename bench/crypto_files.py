"""File-crypto throughput: our aes-gcm and teaclave-file-128 encrypt/decrypt (file to file,
streamed) beside one-shot in-memory ``AESGCM`` from ``cryptography`` on the same bytes."""

from __future__ import annotations

import functools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from teahouse.crypto.files import FileCrypto, Schema, decrypt_file, encrypt_file

SIZE = 64 * 1024 * 1024
ROUNDS = 3


def _best(action: Callable[[], object]) -> float:
    """MB/s of the fastest of ROUNDS runs."""
    best = min(_timed(action) for _ in range(ROUNDS))
    return SIZE / best / 1e6


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    data = os.urandom(SIZE)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        plain.write_bytes(data)
        rows: list[tuple[str, float, float]] = []

        key, iv = os.urandom(16), os.urandom(12)
        aead = AESGCM(key)
        sealed = aead.encrypt(iv, data, bytes(8))
        raw_enc = _best(lambda: aead.encrypt(iv, data, bytes(8)))
        raw_dec = _best(lambda: aead.decrypt(iv, sealed, bytes(8)))
        rows.append(("AESGCM-128 one-shot, in memory", raw_enc, raw_dec))

        for schema in (Schema.AES_GCM_128, Schema.AES_GCM_256, Schema.TEACLAVE_FILE_128):
            crypto = FileCrypto.generate(schema)
            enc, out = Path(tmp) / "data.enc", Path(tmp) / "out"
            e = _best(functools.partial(encrypt_file, crypto, plain, enc))
            cmac = encrypt_file(crypto, plain, enc)
            d = _best(functools.partial(decrypt_file, crypto, enc, out, cmac=cmac))
            assert out.read_bytes() == data
            rows.append((f"{schema.value}, file to file", e, d))

    print(f"{SIZE // (1024 * 1024)} MiB of random data, best of {ROUNDS}; ratio = our MB/s / raw AESGCM MB/s")
    print(f"{'':34} {'encrypt MB/s':>13} {'ratio':>6} {'decrypt MB/s':>13} {'ratio':>6}")
    for name, e, d in rows:
        print(f"{name:34} {e:13.0f} {e / raw_enc:6.2f} {d:13.0f} {d / raw_dec:6.2f}")


if __name__ == "__main__":
    main()
