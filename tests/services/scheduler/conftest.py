from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from teahouse.services.scheduler.config import SchedulerConfig
from teahouse.services.scheduler.service import SchedulerService

from .fakes import Clock, MemoryStore

CONFIG = SchedulerConfig(executor_timeout_s=30.0, disconnect_grace_s=1.0, max_watch_s=5.0, cancel_wait_s=5.0)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def scheduler(store: MemoryStore, clock: Clock) -> AsyncIterator[SchedulerService]:
    service = SchedulerService(store, CONFIG, clock=clock)
    await service.start()
    yield service
    await service.close()


def node() -> str:
    return str(uuid.uuid4())
