from __future__ import annotations

import asyncio

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from teahouse.errors import Code, Unauthenticated
from teahouse.services.authentication.errors import PasswordMismatch
from teahouse.services.authentication.passwords import (
    HASH_LEN,
    ITERATIONS,
    SALT_LEN,
    PasswordHash,
    PasswordHasher,
)

# hashlib.pbkdf2_hmac("sha512", b"teaclave", b"0123456789abcdef", 100_000, 64), computed once.
KNOWN_SALT = b"0123456789abcdef"
KNOWN_DIGEST = bytes.fromhex(
    "019e826a15b1bb5f77f15d196a1512bb8b5a7c2680431891838f72739eedfba2"
    "cca6c3cb194fd40007c2c8e42ed487ba1fd850ffe280727bfee08f11739de9fc"
)


def test_teaclave_parameters() -> None:
    assert (ITERATIONS, SALT_LEN, HASH_LEN) == (100_000, 16, 64)
    assert PasswordHasher().iterations == 100_000


def test_real_iteration_count_matches_known_value() -> None:
    hasher = PasswordHasher()
    assert hasher.derive("teaclave", KNOWN_SALT) == KNOWN_DIGEST
    hasher.verify("teaclave", PasswordHash(KNOWN_SALT, KNOWN_DIGEST))


def test_known_value_agrees_with_an_independent_pbkdf2() -> None:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA512(), length=64, salt=KNOWN_SALT, iterations=100_000)
    assert kdf.derive(b"teaclave") == KNOWN_DIGEST


def test_hash_uses_a_fresh_salt_each_time() -> None:
    hasher = PasswordHasher(iterations=2)
    first, second = hasher.hash("pw"), hasher.hash("pw")
    assert len(first.salt) == SALT_LEN and len(first.digest) == HASH_LEN
    assert first.salt != second.salt and first.digest != second.digest
    hasher.verify("pw", first)
    hasher.verify("pw", second)


@pytest.mark.parametrize("wrong", ["", "PW", "pw ", "pw1"])
def test_wrong_password_raises(wrong: str) -> None:
    hasher = PasswordHasher(iterations=2)
    with pytest.raises(PasswordMismatch) as info:
        hasher.verify(wrong, hasher.hash("pw"))
    assert isinstance(info.value, Unauthenticated)
    assert info.value.code is Code.UNAUTHENTICATED
    assert info.value.message == "authentication failed"


def test_malformed_stored_hash_raises() -> None:
    hasher = PasswordHasher(iterations=2)
    good = hasher.hash("pw")
    with pytest.raises(PasswordMismatch):
        hasher.verify("pw", PasswordHash(good.salt[:8], good.digest))
    with pytest.raises(PasswordMismatch):
        hasher.verify("pw", PasswordHash(good.salt, good.digest[:32]))


def test_repr_hides_the_hash() -> None:
    stored = PasswordHasher(iterations=2).hash("pw")
    assert stored.digest.hex() not in repr(stored) and "redacted" in repr(stored)


def test_iterations_must_be_positive() -> None:
    with pytest.raises(ValueError):
        PasswordHasher(iterations=0)


async def test_async_variants_run_off_the_event_loop() -> None:
    hasher = PasswordHasher(iterations=2)
    loop_ran = asyncio.Event()

    async def tick() -> None:
        loop_ran.set()

    stored, _ = await asyncio.gather(hasher.ahash("pw"), tick())
    await hasher.averify("pw", stored)
    with pytest.raises(PasswordMismatch):
        await hasher.averify("other", stored)
    assert loop_ran.is_set()
