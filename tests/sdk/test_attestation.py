"""Clients verify the server before sending anything, say when it is simulated, and expose the peer."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from teahouse.attestation.ca import create_root_ca
from teahouse.attestation.enclave_info import EnclaveInfo
from teahouse.attestation.verify import TrustAnchors
from teahouse.sdk import (
    SIMULATION_WARNING,
    AsyncAuthenticationClient,
    AsyncFrontendClient,
    AttestationFailedError,
    AuthenticationClient,
    FrontendClient,
    Trust,
    UnavailableError,
)
from teahouse.tee import Measurement

from .conftest import ADMIN, Services, World, write_trust_folder


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "teahouse.sdk" and r.levelno == logging.WARNING
    ]


async def test_peer_and_one_simulation_warning(
    fakes: Services, trust: Trust, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="teahouse.sdk")
    client = AsyncAuthenticationClient(fakes.auth_address, trust)
    assert "simulated" in repr(client) and client.peer is None
    async with client:
        peer = await client.connect()
        await client.login("admin", "teaclave")
        await client.list_users()
    assert peer is not None and peer == client.peer
    expected = world.deployment.enclave_info().for_service("authentication")
    assert expected is not None
    assert peer.service == "authentication" and peer.simulated and peer.quote_status == "OK"
    assert (peer.mr_enclave, peer.mr_signer) == (expected.mr_enclave_hex, expected.mr_signer_hex)
    assert timedelta(0) <= peer.report_age < timedelta(minutes=5)
    (warning,) = _warnings(caplog)
    assert warning.startswith(SIMULATION_WARNING) and fakes.auth_address in warning
    assert repr(client) == f"AsyncAuthenticationClient('{fakes.auth_address}', user='admin', simulated)"


def test_the_sync_twin_says_so_too(fakes: Services, trust: Trust, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="teahouse.sdk")
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        assert repr(client) == f"FrontendClient('{fakes.frontend_address}', user='admin', simulated)"
        client.list_functions()
        client.get_task("task-1")
        assert client.peer is not None and client.peer.service == "frontend" and client.simulated
    assert len(_warnings(caplog)) == 1


def test_a_hardware_root_is_not_labelled_simulated(world: World) -> None:
    _, root = create_root_ca(simulation=False)
    trust = Trust(TrustAnchors(root, world.deployment.enclave_info()))
    assert not trust.simulated and "hardware" in repr(trust)
    assert "simulated" not in repr(AsyncFrontendClient("localhost:7777", trust, ADMIN))


async def test_a_foreign_root_is_refused_before_any_request(fakes: Services, world: World) -> None:
    _, other_root = create_root_ca(simulation=True)
    folder = write_trust_folder(
        world.scratch / "foreign-root",
        other_root.public_bytes(Encoding.PEM),
        world.enclave_info,
        world.auditors,
    )
    async with AsyncFrontendClient(fakes.frontend_address, Trust.load(folder), ADMIN) as client:
        with pytest.raises(AttestationFailedError) as info:
            await client.get_task("task-1")
    assert info.value.check == "report signer"
    assert fakes.frontend.calls == [] and client.peer is None


async def test_a_different_service_is_refused(fakes: Services, trust: Trust) -> None:
    async with AsyncFrontendClient(fakes.auth_address, trust, ADMIN) as client:
        with pytest.raises(AttestationFailedError) as info:
            await client.connect()
    assert info.value.check == "inbound list"
    assert "authentication service" in info.value.message
    assert fakes.auth.calls == []


def test_an_unaudited_measurement_is_refused(fakes: Services, world: World) -> None:
    info = world.deployment.enclave_info()
    name = "teaclave_frontend_service"
    measurements = dict(info.measurements)
    measurements[name] = Measurement(bytes(32), measurements[name].mr_signer)
    folder = write_trust_folder(
        world.scratch / "other-measurement",
        world.root_pem,
        EnclaveInfo(measurements).render(),
        world.auditors,
    )
    with FrontendClient(fakes.frontend_address, Trust.load(folder), ADMIN) as client:
        with pytest.raises(AttestationFailedError) as raised:
            client.list_functions()
        # Attestation failures are never retried into success.
        with pytest.raises(AttestationFailedError):
            client.list_functions()
    assert raised.value.check == "mr_enclave"
    assert fakes.frontend.calls == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_nobody_listening_is_unavailable(trust: Trust) -> None:
    async with AsyncAuthenticationClient(f"127.0.0.1:{_closed_port()}", trust, connect_timeout=0.2) as client:
        with pytest.raises(UnavailableError, match="cannot reach"):
            await client.login("admin", "teaclave")


def test_a_closed_client_refuses_calls(fakes: Services, trust: Trust) -> None:
    client = AuthenticationClient(fakes.auth_address, trust)
    client.login("admin", "teaclave")
    client.close()
    client.close()
    with pytest.raises(RuntimeError, match="closed"):
        client.list_users()


async def test_a_closed_async_client_refuses_calls(fakes: Services, trust: Trust) -> None:
    client = AsyncAuthenticationClient(fakes.auth_address, trust, ADMIN)
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.list_users()


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("localhost:7777", ("localhost", 7777)),
        ("https://10.0.0.1:7776", ("10.0.0.1", 7776)),
        ("[::1]:7777", ("::1", 7777)),
        (("example.org", 7776), ("example.org", 7776)),
    ],
)
def test_addresses(address: str | tuple[str, int], expected: tuple[str, int]) -> None:
    from teahouse.sdk._connection import parse_address

    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["localhost", "localhost:http", ":7777", "h:0", "h:70000"])
def test_bad_addresses(address: str, trust: Trust) -> None:
    with pytest.raises(ValueError, match="host:port"):
        AsyncAuthenticationClient(address, trust)


def test_bad_settings(trust: Trust) -> None:
    with pytest.raises(ValueError, match="positive"):
        AsyncAuthenticationClient("h:1", trust, timeout=0)
    with pytest.raises(TypeError, match=r"Trust\.load"):
        AsyncAuthenticationClient("h:1", "./trust")  # type: ignore[arg-type]
    assert AsyncFrontendClient(("::1", 7777), trust, ADMIN).address == "[::1]:7777"
