"""Setting up a simulation deployment: platform secrets, auditors, enclave_info.

The launcher calls these on every ``teahouse up``: secrets and auditor keys are created once,
and enclave_info is regenerated from the services' current measurements and re-signed by the
(simulated) auditors. On a real deployment the auditors sign offline; here their keys live in
``<home>/secrets/auditors`` so that a single machine can run the whole flow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse import topology
from teahouse.attestation import enclave_info as ei
from teahouse.attestation.trust import TrustBundle
from teahouse.fsutil import create_once, write_atomic
from teahouse.layout import AUDITORS, Layout
from teahouse.tee import Measurement
from teahouse.tee.sim import SimSecrets, sim_measurement


def _new_auditor_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def ensure_auditors(layout: Layout) -> dict[str, rsa.RSAPrivateKey]:
    """Create the simulated auditors' keys once; publish their public keys (PKCS#1, as Teaclave)."""
    keys: dict[str, rsa.RSAPrivateKey] = {}
    for name in AUDITORS:
        key = serialization.load_pem_private_key(
            create_once(layout.auditor_private_key(name), _new_auditor_key), None
        )
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{layout.auditor_private_key(name)} is not an RSA key")
        public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        path = layout.auditor_public_key(name)
        if not path.exists() or path.read_bytes() != public:
            write_atomic(path, public)
        keys[name] = key
    return keys


def build_config(trust: TrustBundle) -> bytes:
    """What a service is "compiled" with: the attestation root and the auditor keys (digested)."""
    digest = hashlib.sha256(b"teahouse-build-config-v1\0")
    digest.update(trust.as_root.public_bytes(serialization.Encoding.DER))
    for name in sorted(trust.auditor_keys):
        digest.update(name.encode() + b"\0")
        digest.update(
            trust.auditor_keys[name].public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            )
        )
    return digest.digest()


CustomCode = Mapping[str, tuple[Path, ...]]


def measurements(layout: Layout, custom: CustomCode | None = None) -> dict[str, Measurement]:
    """The measurement of every built-in service, and of the custom services (name → code paths)."""
    secrets = SimSecrets.load_or_create(layout.platform_secrets)
    config = build_config(TrustBundle.load(layout.trust_dir, with_enclave_info=False))
    result = {service: sim_measurement(secrets, service, config) for service in topology.SERVICES}
    for name, code in (custom or {}).items():
        result[name] = sim_measurement(secrets, name, config, code)
    return result


def write_enclave_info(layout: Layout, custom: CustomCode | None = None) -> ei.EnclaveInfo:
    """Measure every service, write enclave_info.toml and have every auditor sign it."""
    auditors = ensure_auditors(layout)
    info = ei.EnclaveInfo(
        {topology.enclave_name(service): m for service, m in measurements(layout, custom).items()}
    )
    data = info.render()
    if not layout.enclave_info.exists() or layout.enclave_info.read_bytes() != data:
        write_atomic(layout.enclave_info, data)
    for name, key in auditors.items():
        write_atomic(layout.auditor_signature(name), ei.sign(data, key))
    return info
