"""An in-memory simulation deployment, its exported trust folder, and attested fake services.

The fake authentication and frontend services and a real storage service run over RA-TLS on
loopback ports in a background thread, so that async clients (on the test loop) and sync
clients (on their own loops) talk to them alike.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse.attestation.enclave_info import sign
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageBase
from teahouse.rpc.dispatch import bind
from teahouse.rpc.server import AttestedServer
from teahouse.sdk import Credentials, Trust
from teahouse.sdk._loop import LoopThread
from teahouse.services.storage.handlers import StorageHandlers
from teahouse.services.storage.service import StorageService
from teahouse.testing.deployment import InMemoryDeployment

from .fakes import AUTH_DEFAULTS, FRONTEND_DEFAULTS, Recorder, fake_authentication, fake_frontend

ADMIN = Credentials("admin", "token-of-admin")
HERE = Path(__file__).parent


def write_trust_folder(
    folder: Path, root_pem: bytes, enclave_info: bytes, auditors: dict[str, rsa.RSAPrivateKey]
) -> Path:
    """A trust folder as ``teahouse trust export`` writes it."""
    (folder / "auditors").mkdir(parents=True, exist_ok=True)
    (folder / "as_root_ca.pem").write_bytes(root_pem)
    (folder / "enclave_info.toml").write_bytes(enclave_info)
    for name, key in auditors.items():
        public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        (folder / "auditors" / f"{name}.public.pem").write_bytes(public)
        (folder / "auditors" / f"{name}.sign.sha256").write_bytes(sign(enclave_info, key))
    return folder


@dataclass
class World:
    deployment: InMemoryDeployment
    trust_dir: Path
    auditors: dict[str, rsa.RSAPrivateKey]
    scratch: Path

    @property
    def root_pem(self) -> bytes:
        return (self.trust_dir / "as_root_ca.pem").read_bytes()

    @property
    def enclave_info(self) -> bytes:
        return (self.trust_dir / "enclave_info.toml").read_bytes()

    def copy_trust(self, name: str) -> Path:
        """A fresh copy of the trust folder, to be damaged by a test."""
        target = self.scratch / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.trust_dir, target)
        return target


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    home = tmp_path_factory.mktemp("sdk-deployment")
    deployment = InMemoryDeployment(home)
    auditors = {
        name: rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for name in ("godzilla", "optimus")
    }
    trust_dir = write_trust_folder(
        tmp_path_factory.mktemp("trust"),
        deployment.layout.as_root_ca.read_bytes(),
        deployment.enclave_info().render(),
        auditors,
    )
    return World(deployment, trust_dir, auditors, tmp_path_factory.mktemp("scratch"))


@pytest.fixture(scope="session")
def trust(world: World) -> Trust:
    return Trust.load(world.trust_dir)


@dataclass
class Services:
    auth: Recorder
    frontend: Recorder
    auth_address: str
    frontend_address: str


class ServerThread:
    """Attested servers on loopback ports, run by their own event loop in a background thread."""

    def __init__(self) -> None:
        self._runner = LoopThread("sdk-test-servers")
        self._servers: list[AttestedServer] = []

    def start(self, make: Callable[[], AttestedServer]) -> str:
        async def start() -> str:
            # Built on the server loop: grpclib servers bind to the loop current at construction.
            server = make()
            await server.start("127.0.0.1", 0)
            self._servers.append(server)
            return f"127.0.0.1:{server.port}"

        return self._runner.run(start())

    def stop(self) -> None:
        async def stop() -> None:
            for server in self._servers:
                server.close()
                await server.wait_closed()

        try:
            self._runner.run(stop())
        finally:
            self._runner.close()


@pytest.fixture(scope="session")
def services(world: World) -> Iterator[Services]:
    auth = Recorder(AUTH_DEFAULTS)
    frontend = Recorder(FRONTEND_DEFAULTS)
    dep = world.deployment
    thread = ServerThread()
    try:
        yield Services(
            auth,
            frontend,
            thread.start(
                lambda: AttestedServer(
                    [fake_authentication(auth)], dep.identity("authentication"), name="auth"
                )
            ),
            thread.start(
                lambda: AttestedServer([fake_frontend(frontend)], dep.identity("frontend"), name="frontend")
            ),
        )
    finally:
        thread.stop()


@pytest.fixture(scope="session")
def storage_address(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real storage service in standalone mode (one-way attestation), as ``teahouse storage serve``."""
    service = StorageService(tmp_path_factory.mktemp("kv") / "kv.sqlite", bytes(32))
    thread = ServerThread()
    try:
        yield thread.start(
            lambda: AttestedServer(
                [bind(TeaclaveStorageBase, StorageHandlers(service))],
                world.deployment.identity("storage"),
                name="storage standalone",
            )
        )
    finally:
        thread.stop()
        service.close()


@pytest.fixture
def fakes(services: Services) -> Services:
    """The services with their recorders emptied and default replies restored."""
    services.auth.reset()
    services.frontend.reset()
    return services
