"""Where a deployment keeps its files inside the home folder.

::

    <home>/teahouse.toml                    configuration (optional; defaults are embedded)
    <home>/trust/                           public: what a client needs to verify the platform
        as_root_ca.pem, enclave_info.toml, auditors/<name>.public.pem, auditors/<name>.sign.sha256
    <home>/secrets/platform/                simulated TEE platform secrets (sim backend only)
    <home>/secrets/attestation/             attestation service keys (read by that process only)
    <home>/secrets/auditors/                auditor private keys (sim deployments create them)
    <home>/attestation/signing.pem          the report signing certificate (public)
    <home>/data/                            storage database
    <home>/run/<service>.json               state of running processes
    <home>/logs/<service>.log               logs of processes started by `teahouse up`
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Teaclave's three (fictional) auditors.
AUDITORS = ("godzilla", "optimus_prime", "albus_dumbledore")


@dataclass(frozen=True)
class Layout:
    home: Path

    @property
    def trust_dir(self) -> Path:
        return self.home / "trust"

    @property
    def as_root_ca(self) -> Path:
        return self.trust_dir / "as_root_ca.pem"

    @property
    def enclave_info(self) -> Path:
        return self.trust_dir / "enclave_info.toml"

    def auditor_public_key(self, name: str) -> Path:
        return self.trust_dir / "auditors" / f"{name}.public.pem"

    def auditor_signature(self, name: str) -> Path:
        return self.trust_dir / "auditors" / f"{name}.sign.sha256"

    def auditor_private_key(self, name: str) -> Path:
        return self.home / "secrets" / "auditors" / f"{name}.private.pem"

    @property
    def platform_secrets(self) -> Path:
        return self.home / "secrets" / "platform"

    @property
    def attestation_secrets(self) -> Path:
        return self.home / "secrets" / "attestation"

    @property
    def attestation_signing_cert(self) -> Path:
        return self.home / "attestation" / "signing.pem"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    def state_file(self, process: str) -> Path:
        return self.run_dir / f"{process}.json"

    def log_file(self, process: str) -> Path:
        return self.log_dir / f"{process}.log"
