from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from teahouse.framework.environment import Environment
from teahouse.testing.platform import LocalPlatform

from .wire import Metadata, Wire


@pytest.fixture(scope="session")
async def as_management(platform: LocalPlatform) -> AsyncIterator[Environment]:
    """An in-process trusted part with the management service's attested identity."""
    env = await Environment.create(platform.config, "management")
    yield env
    env.close_channels()


@pytest.fixture(scope="session")
async def wire(platform: LocalPlatform) -> AsyncIterator[Wire]:
    client = Wire.connect(platform)
    yield client
    client.close()


@pytest.fixture(scope="session")
async def admin(wire: Wire) -> Metadata:
    return await wire.login("admin", "teaclave")
