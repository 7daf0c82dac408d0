from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest

from teahouse.errors import Code, Unauthenticated
from teahouse.services.authentication.errors import (
    InvalidToken,
    TokenAlgorithmNotAllowed,
    TokenExpired,
    TokenIssuerInvalid,
    TokenMalformed,
    TokenSignatureInvalid,
    TokenSubjectMismatch,
)
from teahouse.services.authentication.tokens import Claims, TokenCodec

from .conftest import T0, FakeClock

SECRET = bytes(range(256)) * 2
OTHER_SECRET = bytes(reversed(SECRET))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(payload: dict[str, object], secret: bytes = SECRET, header: str | None = None) -> str:
    """A JWT built without PyJWT, the way Teaclave's jsonwebtoken serialises one."""
    head = header or '{"typ":"JWT","alg":"HS512"}'
    signing_input = f"{b64(head.encode())}.{b64(json.dumps(payload, separators=(',', ':')).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha512).digest()
    return f"{signing_input}.{b64(signature)}"


@pytest.fixture
def codec(clock: FakeClock) -> TokenCodec:
    return TokenCodec(SECRET, clock=clock)


def test_issued_token_is_byte_identical_to_teaclaves(codec: TokenCodec) -> None:
    token = codec.issue("alice", "DataOwner-bank")
    expected = {"sub": "alice", "role": "DataOwner-bank", "iss": "Teaclave", "exp": int(T0) + 86400}
    assert token == hand_made(expected)


def test_round_trip(codec: TokenCodec) -> None:
    token = codec.issue("alice", "FunctionOwner")
    assert codec.validate(token, "alice") == Claims("alice", "FunctionOwner", "Teaclave", int(T0) + 86400)


def test_accepts_a_token_made_elsewhere_with_the_same_key(codec: TokenCodec) -> None:
    token = hand_made({"sub": "bob", "role": "PlatformAdmin", "iss": "Teaclave", "exp": int(T0) + 5})
    assert codec.validate(token, "bob").role == "PlatformAdmin"


def test_expiry_has_no_leeway(codec: TokenCodec, clock: FakeClock) -> None:
    token = codec.issue("alice", "FunctionOwner")
    clock.now = T0 + 86400 - 0.5
    codec.validate(token, "alice")
    clock.now = T0 + 86400
    with pytest.raises(TokenExpired):
        codec.validate(token, "alice")


def test_foreign_key(codec: TokenCodec, clock: FakeClock) -> None:
    token = TokenCodec(OTHER_SECRET, clock=clock).issue("alice", "PlatformAdmin")
    with pytest.raises(TokenSignatureInvalid):
        codec.validate(token, "alice")


def test_tampered_payload(codec: TokenCodec) -> None:
    head, _, sig = codec.issue("alice", "DataOwner-a").split(".")
    forged = b64(
        json.dumps({"sub": "alice", "role": "PlatformAdmin", "iss": "Teaclave", "exp": 2**40}).encode()
    )
    with pytest.raises(TokenSignatureInvalid):
        codec.validate(f"{head}.{forged}.{sig}", "alice")


def test_token_of_another_user(codec: TokenCodec) -> None:
    with pytest.raises(TokenSubjectMismatch):
        codec.validate(codec.issue("alice", "PlatformAdmin"), "bob")


def test_wrong_issuer(codec: TokenCodec) -> None:
    token = hand_made({"sub": "a", "role": "PlatformAdmin", "iss": "TeaClave", "exp": int(T0) + 5})
    with pytest.raises(TokenIssuerInvalid):
        codec.validate(token, "a")


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(
            {"sub": "a", "role": "x", "iss": "Teaclave", "exp": int(T0) + 5}, SECRET, algorithm="HS256"
        ),
        jwt.encode({"sub": "a", "role": "x", "iss": "Teaclave", "exp": int(T0) + 5}, None, algorithm="none"),
        hand_made({"sub": "a", "role": "x", "iss": "Teaclave", "exp": int(T0) + 5}, header='{"alg":"HS384"}'),
    ],
    ids=["HS256", "none", "HS384-header"],
)
def test_only_hs512_is_accepted(codec: TokenCodec, token: str) -> None:
    with pytest.raises(TokenAlgorithmNotAllowed):
        codec.validate(token, "a")


GOOD = {"sub": "a", "role": "x", "iss": "Teaclave", "exp": int(T0) + 5}


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        "a.b.c",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30",
        hand_made({k: v for k, v in GOOD.items() if k != "role"}),
        hand_made({k: v for k, v in GOOD.items() if k != "exp"}),
        hand_made({k: v for k, v in GOOD.items() if k != "sub"}),
        hand_made({k: v for k, v in GOOD.items() if k != "iss"}),
        hand_made({**GOOD, "exp": float(T0 + 5)}),
        hand_made({**GOOD, "exp": str(int(T0) + 5)}),
        hand_made({**GOOD, "exp": True}),
        hand_made({**GOOD, "exp": -1}),
        hand_made({**GOOD, "role": 3}),
        hand_made({**GOOD, "sub": ["a"]}),
    ],
)
def test_malformed(codec: TokenCodec, token: str) -> None:
    with pytest.raises(TokenMalformed):
        codec.validate(token, "a")


@pytest.mark.parametrize(
    "cls",
    [
        TokenMalformed,
        TokenAlgorithmNotAllowed,
        TokenSignatureInvalid,
        TokenIssuerInvalid,
        TokenExpired,
        TokenSubjectMismatch,
    ],
)
def test_every_cause_is_an_unauthenticated_invalid_token(cls: type[InvalidToken]) -> None:
    error = cls()
    assert isinstance(error, InvalidToken) and isinstance(error, Unauthenticated)
    assert error.code is Code.UNAUTHENTICATED
    assert error.message == str(error) == "authentication failed"
    assert error.detail and error.detail != "authentication failed"


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenCodec(b"")


def test_repr_hides_the_secret(codec: TokenCodec) -> None:
    assert SECRET.hex()[:16] not in repr(codec)
