"""Attested servers and channels in one process: mutual verification, identity refresh, retries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.attestation.errors import PeerNotAllowed
from teahouse.errors import Unavailable
from teahouse.kv import MemoryKeyValueStore
from teahouse.proto import teaclave_storage_service_pb2 as pb
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase, TeaclaveStorageStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.rpc.dispatch import bind, rpc_types, snake_case
from teahouse.rpc.server import AttestedServer
from teahouse.testing.deployment import InMemoryDeployment
from teahouse.testing.platform import free_ports


class Echo:
    """Answers Lookup with the verified caller's service name."""

    async def lookup(self, request: pb.GetRequest) -> pb.LookupResponse:
        from teahouse.rpc.context import current_call

        peer = current_call().peer
        return pb.LookupResponse(found=True, value=(peer.service if peer else "anonymous").encode())


def _handlers() -> list[object]:
    impl = Echo()
    for rpc in rpc_types(TeaclaveStorageBase):
        if not hasattr(impl, snake_case(rpc)):
            setattr(impl, snake_case(rpc), MemoryKeyValueStore.get)  # never called here
    return [bind(TeaclaveStorageBase, impl)]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> InMemoryDeployment:
    return InMemoryDeployment(Path(tmp_path_factory.mktemp("rpc")))


@pytest.fixture
async def server(deployment: InMemoryDeployment) -> AsyncIterator[AttestedServer]:
    srv = AttestedServer(
        _handlers(),
        deployment.identity("storage"),
        name="test",
        verifier=deployment.verifier(),
        inbound={"management"},
    )
    await srv.start("127.0.0.1", 0)
    yield srv
    srv.close()
    await srv.wait_closed()


def channel(deployment: InMemoryDeployment, port: int, service: str = "management") -> AttestedChannel:
    return AttestedChannel(
        "127.0.0.1",
        port,
        verifier=deployment.verifier(),
        accept={"storage"},
        identity=deployment.identity(service),
    )


async def test_mutual_attestation_identifies_the_caller(
    deployment: InMemoryDeployment, server: AttestedServer
) -> None:
    ch = channel(deployment, server.port)
    try:
        reply = await TeaclaveStorageStub(ch).Lookup(pb.GetRequest(key=b"k"))
        assert reply.value == b"management"
        assert ch.peer is not None and ch.peer.service == "storage"
    finally:
        ch.close()


async def test_a_refreshed_identity_serves_new_connections(
    deployment: InMemoryDeployment, server: AttestedServer
) -> None:
    first = channel(deployment, server.port)
    await TeaclaveStorageStub(first).Lookup(pb.GetRequest(key=b"k"))
    assert first.peer is not None
    before = first.peer.report.id
    await asyncio.to_thread(server._identity.refresh)
    second = channel(deployment, server.port)
    try:
        await TeaclaveStorageStub(second).Lookup(pb.GetRequest(key=b"k"))
        assert second.peer is not None and second.peer.report.id != before
        # The connection made before the refresh keeps working.
        assert (await TeaclaveStorageStub(first).Lookup(pb.GetRequest(key=b"k"))).value == b"management"
    finally:
        first.close()
        second.close()


async def test_a_caller_outside_the_inbound_list_is_cut_off(
    deployment: InMemoryDeployment, server: AttestedServer
) -> None:
    ch = channel(deployment, server.port, service="frontend")
    try:
        with pytest.raises(Exception):  # noqa: B017 - the server drops the connection after the handshake
            await TeaclaveStorageStub(ch).Lookup(pb.GetRequest(key=b"k"), timeout=5)
    finally:
        ch.close()


async def test_the_client_refuses_the_wrong_service(
    deployment: InMemoryDeployment, server: AttestedServer
) -> None:
    ch = AttestedChannel(
        "127.0.0.1", server.port, verifier=deployment.verifier(), accept={"scheduler"},
        identity=deployment.identity("management"),
    )  # fmt: skip
    try:
        with pytest.raises(PeerNotAllowed):
            await TeaclaveStorageStub(ch).Lookup(pb.GetRequest(key=b"k"))
    finally:
        ch.close()


async def test_the_channel_waits_for_a_server_that_starts_late(deployment: InMemoryDeployment) -> None:
    (port,) = free_ports(1)
    late = AttestedServer(
        _handlers(),
        deployment.identity("storage"),
        name="late",
        verifier=deployment.verifier(),
        inbound={"management"},
    )

    async def start_later() -> None:
        await asyncio.sleep(0.5)
        await late.start("127.0.0.1", port)

    starter = asyncio.create_task(start_later())
    ch = channel(deployment, port)
    try:
        assert (await TeaclaveStorageStub(ch).Lookup(pb.GetRequest(key=b"k"))).value == b"management"
    finally:
        ch.close()
        await starter
        late.close()
        await late.wait_closed()


async def test_the_channel_gives_up_on_a_server_that_never_comes(deployment: InMemoryDeployment) -> None:
    (port,) = free_ports(1)
    ch = AttestedChannel("127.0.0.1", port, verifier=deployment.verifier(), accept={"storage"}, retry_for=0.3)
    try:
        with pytest.raises(Unavailable):
            await TeaclaveStorageStub(ch).Lookup(pb.GetRequest(key=b"k"))
    finally:
        ch.close()
