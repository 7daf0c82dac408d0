"""Fixtures of the management tests: an in-memory store, the service and a few callers."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from teahouse.kv import MemoryKeyValueStore, WriteBatch
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m

ADMIN = Caller("admin", "PlatformAdmin")


def data_owner(user: str, attribute: str = "org") -> Caller:
    return Caller(user, f"DataOwner-{attribute}")


def key16(n: int = 0) -> bytes:
    return bytes([n]) * 16


CMAC = bytes(range(16))
TF128 = m.FileCryptoInfo("teaclave-file-128", key16(), b"")
AES128 = m.FileCryptoInfo("aes-gcm-128", key16(1), bytes(12))


class YieldingStore(MemoryKeyValueStore):
    """A memory store that lets other coroutines run inside every call, as a networked store does.

    Without this, ``asyncio.gather`` over the plain memory store runs each request to completion
    in turn and no two requests ever interleave.
    """

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self._rng = random.Random(seed)
        self.conflicts = 0

    async def _pause(self) -> None:
        for _ in range(self._rng.randint(0, 3)):
            await asyncio.sleep(0)

    async def get(self, key: bytes) -> bytes | None:
        await self._pause()
        return await super().get(key)

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        await self._pause()
        return await super().keys_with_prefix(prefix)

    async def commit(self, batch: WriteBatch) -> None:
        await self._pause()
        try:
            await super().commit(batch)
        except Exception:
            self.conflicts += 1
            raise


@pytest.fixture
def kv() -> MemoryKeyValueStore:
    return MemoryKeyValueStore()


@pytest.fixture
async def svc(kv: MemoryKeyValueStore) -> AsyncIterator[ManagementService]:
    service = await ManagementService.open(kv)
    yield service
    service.close()


@dataclass
class Files:
    """Helpers that register files for a caller."""

    svc: ManagementService

    async def input(self, caller: Caller, url: str = "http://localhost:6789/in.enc") -> str:
        return (
            await self.svc.register_input_file(caller, m.RegisterInputFileRequest(url, CMAC, TF128))
        ).data_id

    async def output(self, caller: Caller, url: str = "http://localhost:6789/out.enc") -> str:
        return (await self.svc.register_output_file(caller, m.RegisterOutputFileRequest(url, TF128))).data_id


@pytest.fixture
def files(svc: ManagementService) -> Files:
    return Files(svc)
