"""Login tokens: JWT HS512 exactly as Teaclave issues and checks them (spec/wire.md §5.1).

Header ``{"typ":"JWT","alg":"HS512"}``, claims ``{"sub","role","iss","exp"}`` in that order, so a
token is byte-for-byte what Teaclave would issue with the same key and time. Validation: the
algorithm must be HS512, the signature must verify, ``iss`` must be ``Teaclave``, ``sub`` must be
the presented user id and ``exp`` must lie in the future (no leeway). Each failed check raises its
own subclass of :class:`~teahouse.services.authentication.errors.InvalidToken`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from teahouse.services.authentication.errors import (
    TokenAlgorithmNotAllowed,
    TokenExpired,
    TokenIssuerInvalid,
    TokenMalformed,
    TokenSignatureInvalid,
    TokenSubjectMismatch,
)

ALGORITHM = "HS512"
ISSUER = "Teaclave"
LIFETIME_SECONDS = 24 * 60 * 60
SECRET_LEN = 512

Clock = Callable[[], float]


@dataclass(frozen=True)
class Claims:
    """The validated claims of a token (the ``UserAuthClaims`` message)."""

    sub: str
    role: str
    iss: str
    exp: int


class TokenCodec:
    """Issues and validates the tokens of one platform, signed with its HMAC secret."""

    def __init__(self, secret: bytes, *, clock: Clock = time.time, lifetime: int = LIFETIME_SECONDS) -> None:
        if not secret:
            raise ValueError("the token secret must not be empty")
        self._secret = secret
        self._clock = clock
        self._lifetime = lifetime

    def __repr__(self) -> str:
        return "TokenCodec(<secret redacted>)"

    def issue(self, user_id: str, role_claim: str) -> str:
        """A token for ``user_id`` with role claim ``role_claim``, valid for 24 hours."""
        exp = int(self._clock()) + self._lifetime
        claims = {"sub": user_id, "role": role_claim, "iss": ISSUER, "exp": exp}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM, sort_headers=False)

    def validate(self, token: str, user_id: str) -> Claims:
        """Return the claims of ``token`` if it is valid for ``user_id``; raise otherwise."""
        payload = self._decode(token)
        sub, role, iss, exp = (payload.get(name) for name in ("sub", "role", "iss", "exp"))
        if not isinstance(sub, str) or not isinstance(role, str) or not isinstance(iss, str):
            raise TokenMalformed("sub, role and iss must be strings")
        if isinstance(exp, bool) or not isinstance(exp, int) or exp < 0:
            raise TokenMalformed("exp must be a non-negative integer")
        if not exp > self._clock():
            raise TokenExpired()
        if sub != user_id:
            raise TokenSubjectMismatch()
        return Claims(sub=sub, role=role, iss=iss, exp=exp)

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={
                    "require": ["sub", "role", "iss", "exp"],
                    # exp is checked against the injected clock; Teaclave checks neither nbf,
                    # iat nor aud.
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                },
            )
        except jwt.InvalidAlgorithmError as exc:
            raise TokenAlgorithmNotAllowed() from exc
        except jwt.InvalidSignatureError as exc:
            raise TokenSignatureInvalid() from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenIssuerInvalid() from exc
        except jwt.InvalidTokenError as exc:
            raise TokenMalformed() from exc
