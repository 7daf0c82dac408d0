"""Every process serves Prometheus metrics on loopback; the counts follow what clients did."""

from __future__ import annotations

import asyncio
import re
import urllib.request

import pytest
from grpclib.const import Status

from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.platform import LocalPlatform

from .wire import Metadata, Wire, status_of

pytestmark = pytest.mark.e2e


def scrape(platform: LocalPlatform, process: str) -> str:
    state = platform.state(process)
    assert state is not None and "metrics" in state.endpoints, f"{process} publishes no metrics endpoint"
    with urllib.request.urlopen(state.endpoints["metrics"], timeout=10) as response:
        return response.read().decode()


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


async def test_rpc_counts_and_latencies(platform: LocalPlatform, wire: Wire, admin: Metadata) -> None:
    method = "TeaclaveFrontend/ListFunctions"
    before = scrape(platform, "frontend")
    ok_before = sample(before, "teahouse_rpc_requests_total", method=method, code="0")
    denied_before = sample(before, "teahouse_rpc_requests_total", method=method, code="16")
    for _ in range(5):
        await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id="admin"), metadata=admin)
    for _ in range(3):
        assert (await status_of(wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id="admin"))))[
            0
        ] is Status.UNAUTHENTICATED
    after = await asyncio.to_thread(scrape, platform, "frontend")
    assert sample(after, "teahouse_rpc_requests_total", method=method, code="0") == ok_before + 5
    assert sample(after, "teahouse_rpc_requests_total", method=method, code="16") == denied_before + 3
    assert sample(after, "teahouse_rpc_duration_seconds_count", method=method) >= 8
    # The calls went through authentication and management too.
    assert sample(scrape(platform, "authentication"), "teahouse_rpc_requests_total",
                  method="TeaclaveAuthenticationInternal/UserAuthenticate", code="0") >= 5  # fmt: skip
    assert "teahouse_rpc_requests_total" in scrape(platform, "storage")
