"""Shared by benchmarks that need the real platform: start one in a temp folder, connect clients."""

from __future__ import annotations

import contextlib
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from teahouse.attestation.trust import TrustBundle
from teahouse.attestation.verify import Verifier
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiStub
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendStub
from teahouse.rpc.channel import AttestedChannel
from teahouse.testing.platform import LocalPlatform, write_config


@contextlib.contextmanager
def running_platform(execution_nodes: int = 0) -> Iterator[LocalPlatform]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        write_config(home, execution_nodes=execution_nodes)
        print(f"starting a platform with {execution_nodes} execution nodes…", flush=True)
        platform = LocalPlatform(home).start()
        try:
            yield platform
        finally:
            platform.stop()


def channels(platform: LocalPlatform) -> tuple[AttestedChannel, AttestedChannel]:
    verifier = Verifier(TrustBundle.load(platform.trust_dir).anchors())
    auth = AttestedChannel(
        *platform.address("authentication", api=True), verifier=verifier, accept={"authentication"}
    )
    frontend = AttestedChannel(
        *platform.address("frontend", api=True), verifier=verifier, accept={"frontend"}
    )
    return auth, frontend


def stubs(
    platform: LocalPlatform,
) -> tuple[TeaclaveAuthenticationApiStub, TeaclaveFrontendStub, list[AttestedChannel]]:
    auth, frontend = channels(platform)
    return TeaclaveAuthenticationApiStub(auth), TeaclaveFrontendStub(frontend), [auth, frontend]


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
