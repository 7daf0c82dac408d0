from __future__ import annotations

import pytest

from teahouse.framework.environment import Environment
from teahouse.testing.platform import LocalPlatform


@pytest.fixture(scope="session")
async def as_management(platform: LocalPlatform) -> Environment:
    """An in-process trusted part with the management service's attested identity."""
    env = await Environment.create(platform.config, "management")
    yield env
    env.close_channels()
