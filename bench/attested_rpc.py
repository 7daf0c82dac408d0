"""Attested RPC cost: connection set-up and one unary call, beside the same over plain TLS.

Both servers run in this process on loopback and serve the same storage handlers over an
in-memory database; the attested pair does mutual RA-TLS (pyOpenSSL server adapter, evidence
verified on both sides), the plain pair does TLS with a self-signed certificate and no checks.
"""

from __future__ import annotations

import asyncio
import datetime
import ssl
import statistics
import tempfile
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from grpclib.client import Channel
from grpclib.server import Server

from teahouse.proto import teaclave_storage_service_pb2 as pb
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase, TeaclaveStorageStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.rpc.dispatch import bind
from teahouse.rpc.server import AttestedServer
from teahouse.rpc.tls import client_context, load_cert_chain_in_memory
from teahouse.services.storage.handlers import StorageHandlers
from teahouse.services.storage.service import StorageService
from teahouse.testing.deployment import InMemoryDeployment

CONNECTS = 50
CALLS = 2000


def _plain_server_context() -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "plain")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_alpn_protocols(["h2"])
    load_cert_chain_in_memory(
        ctx,
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    return ctx


async def _measure(make_channel, label: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    request = pb.GetRequest(key=b"bench-key")
    setups = []
    for _ in range(CONNECTS):
        channel = make_channel()
        start = time.perf_counter()
        await TeaclaveStorageStub(channel).Lookup(request)
        setups.append(time.perf_counter() - start)
        channel.close()
    channel = make_channel()
    stub = TeaclaveStorageStub(channel)
    await stub.Lookup(request)
    start = time.perf_counter()
    for _ in range(CALLS):
        await stub.Lookup(request)
    per_call = (time.perf_counter() - start) / CALLS
    channel.close()
    setup = statistics.median(setups) - per_call
    print(f"  {label:<34} set-up {setup * 1e3:7.2f} ms   unary call {per_call * 1e6:7.0f} µs")
    return setup, per_call


async def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        deployment = InMemoryDeployment(home)
        service = StorageService(home / "bench.sqlite", bytes(32))
        await service.put(b"bench-key", b"x" * 100)
        handlers = [bind(TeaclaveStorageBase, StorageHandlers(service))]
        verifier = deployment.verifier()

        attested = AttestedServer(
            handlers, deployment.identity("storage"), name="bench", verifier=verifier, inbound={"management"}
        )
        await attested.start("127.0.0.1", 0)
        client_identity = deployment.identity("management")
        plain = Server([bind(TeaclaveStorageBase, StorageHandlers(service))])
        await plain.start("127.0.0.1", 0, ssl=_plain_server_context())
        plain_port = plain._server.sockets[0].getsockname()[1]

        print(f"{CONNECTS} connections (median) and {CALLS} sequential calls, 100-byte values:")
        a_setup, a_call = await _measure(
            lambda: AttestedChannel(
                "127.0.0.1", attested.port, verifier=verifier, accept={"storage"}, identity=client_identity
            ),
            "mutual RA-TLS (attested)",
        )
        p_setup, p_call = await _measure(
            lambda: Channel("127.0.0.1", plain_port, ssl=client_context()), "plain TLS (no attestation)"
        )
        print(f"  ratio attested/plain: set-up x{a_setup / p_setup:.1f}, unary call x{a_call / p_call:.2f}")
        attested.close()
        await attested.wait_closed()
        plain.close()
        await plain.wait_closed()
        service.close()


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
