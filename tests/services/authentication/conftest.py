"""Fixtures: an in-memory store, a controllable clock and a fast-hashing service."""

from __future__ import annotations

import pytest

from teahouse.kv import MemoryKeyValueStore
from teahouse.services.authentication.service import AuthenticationService
from teahouse.services.authentication.tokens import ISSUER, Claims

# Tests hash with one PBKDF2 iteration; test_passwords.py checks the real 100,000.
FAST_ITERATIONS = 1
T0 = 1_700_000_000.0


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def kv() -> MemoryKeyValueStore:
    return MemoryKeyValueStore()


@pytest.fixture
async def service(kv: MemoryKeyValueStore, clock: FakeClock) -> AuthenticationService:
    svc = await AuthenticationService.open(kv, iterations=FAST_ITERATIONS, clock=clock)
    await svc.ensure_admin()
    return svc


def claims(user_id: str, role: str) -> Claims:
    """Claims as the service would return them from a valid token."""
    return Claims(sub=user_id, role=role, iss=ISSUER, exp=int(T0) + 86400)


ADMIN = claims("admin", "PlatformAdmin")
