"""Mutual attestation on internal endpoints, checked against the real services."""

from __future__ import annotations

import asyncio
import ssl

import pytest
from grpclib.exceptions import StreamTerminatedError

from teahouse.attestation.verify import Verifier
from teahouse.framework.environment import Environment
from teahouse.proto import teaclave_storage_service_pb2 as pb
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.testing.platform import LocalPlatform

pytestmark = pytest.mark.e2e


async def _wait_for_log(platform: LocalPlatform, process: str, text: str) -> str:
    for _ in range(100):
        log = platform.log(process)
        if text in log:
            return log
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} not in the {process} log")


async def test_internal_endpoint_refuses_a_client_without_certificate(
    platform: LocalPlatform, as_management: Environment
) -> None:
    host, port = platform.address("storage")
    channel = AttestedChannel(host, port, verifier=as_management.verifier, accept={"storage"}, identity=None)
    try:
        with pytest.raises((StreamTerminatedError, ConnectionError, ssl.SSLError)):
            await TeaclaveStorageStub(channel).Lookup(pb.GetRequest(key=b"x"), timeout=10)
    finally:
        channel.close()
    await _wait_for_log(platform, "storage", "client certificate check failed")


async def test_internal_endpoint_refuses_a_service_outside_its_inbound_list(platform: LocalPlatform) -> None:
    frontend = await Environment.create(platform.config, "frontend")
    try:
        with pytest.raises((StreamTerminatedError, ConnectionError)):
            await TeaclaveStorageStub(frontend.channel("storage")).Lookup(pb.GetRequest(key=b"x"), timeout=10)
    finally:
        frontend.close_channels()
    await _wait_for_log(platform, "storage", "the peer is the frontend service")


async def test_client_refuses_a_server_that_is_not_the_expected_service(
    platform: LocalPlatform, as_management: Environment
) -> None:
    from teahouse.attestation.errors import PeerNotAllowed

    host, port = platform.address("storage")
    verifier: Verifier = as_management.verifier
    channel = AttestedChannel(
        host, port, verifier=verifier, accept={"scheduler"}, identity=as_management.identity
    )
    try:
        with pytest.raises(PeerNotAllowed):
            await TeaclaveStorageStub(channel).Lookup(pb.GetRequest(key=b"x"), timeout=10)
    finally:
        channel.close()
