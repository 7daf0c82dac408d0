"""A simulation deployment in one process, without the attestation service's HTTP endpoint.

For tests and benchmarks that need attested identities and a verifier but not whole services.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from teahouse import topology
from teahouse.attestation.authority import AttestationAuthority
from teahouse.attestation.enclave_info import EnclaveInfo
from teahouse.attestation.identity import IdentityHolder, RaTlsIdentity
from teahouse.attestation.ratls import build_certificate, report_data_for
from teahouse.attestation.report import Evidence
from teahouse.attestation.verify import TrustAnchors, VerificationPolicy, Verifier
from teahouse.layout import Layout
from teahouse.tee.sim import SimPlatform, SimSecrets

BUILD_CONFIG = b"in-memory-deployment"


class InMemoryDeployment:
    def __init__(self, home: Path) -> None:
        self.layout = Layout(home)
        self.secrets = SimSecrets.load_or_create(self.layout.platform_secrets)
        self.authority = AttestationAuthority.load_or_create(self.layout)

    def platform(self, service: str) -> SimPlatform:
        return SimPlatform(self.secrets, service, BUILD_CONFIG)

    def enclave_info(self) -> EnclaveInfo:
        return EnclaveInfo(
            {topology.enclave_name(s): self.platform(s).measurement() for s in topology.SERVICES}
        )

    def anchors(self) -> TrustAnchors:
        return TrustAnchors(as_root=self.authority.chain[-1], enclave_info=self.enclave_info())

    def verifier(self, policy: VerificationPolicy | None = None) -> Verifier:
        return Verifier(self.anchors(), policy)

    def make_identity(self, service: str) -> RaTlsIdentity:
        key = ec.generate_private_key(ec.SECP256R1())
        signed = self.authority.attest(self.platform(service).quote(report_data_for(key.public_key())))
        evidence = Evidence(
            signed.body, signed.signature, tuple(c.public_bytes(Encoding.DER) for c in signed.chain)
        )
        now = self.authority._clock()
        return RaTlsIdentity(key, build_certificate(key, evidence, now), now)

    def identity(self, service: str) -> IdentityHolder:
        return IdentityHolder(lambda: self.make_identity(service), self.make_identity(service))
