"""enclave_info.toml: the accepted measurement of every service, signed by auditors (spec/wire.md §4.10).

Unlike Teaclave, which accepts zero signatures, verification requires a valid signature from
every configured auditor key (at least one).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from teahouse import topology
from teahouse.attestation.errors import EnclaveInfoError, EnclaveInfoSignatureInvalid
from teahouse.tee import Measurement


@dataclass(frozen=True)
class EnclaveInfo:
    """Measurements by Teaclave enclave name (``teaclave_<service>_service``)."""

    measurements: Mapping[str, Measurement]

    @classmethod
    def parse(cls, data: bytes) -> EnclaveInfo:
        try:
            doc = tomllib.loads(data.decode())
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise EnclaveInfoError(f"enclave_info does not parse: {exc}") from None
        measurements: dict[str, Measurement] = {}
        for name, table in doc.items():
            if not isinstance(table, dict):
                raise EnclaveInfoError(f"enclave_info: [{name}] is not a table")
            try:
                measurements[name] = Measurement(
                    mr_enclave=bytes.fromhex(table["mr_enclave"]),
                    mr_signer=bytes.fromhex(table["mr_signer"]),
                )
            except (KeyError, TypeError, ValueError):
                raise EnclaveInfoError(
                    f"enclave_info: [{name}] needs mr_enclave and mr_signer as 64 hex characters"
                ) from None
        return cls(measurements)

    def render(self) -> bytes:
        lines: list[str] = []
        for name in sorted(self.measurements):
            m = self.measurements[name]
            lines += [
                f"[{name}]",
                f'mr_enclave = "{m.mr_enclave_hex}"',
                f'mr_signer  = "{m.mr_signer_hex}"',
                "",
            ]
        return "\n".join(lines).encode()

    def for_service(self, service: str) -> Measurement | None:
        return self.measurements.get(topology.enclave_name(service))


def sign(data: bytes, key: rsa.RSAPrivateKey) -> bytes:
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def verify_signatures(
    data: bytes, signatures: Sequence[bytes], public_keys: Sequence[rsa.RSAPublicKey]
) -> None:
    """Every auditor key must have signed ``data`` (RSA PKCS#1 v1.5, SHA-256)."""
    if not public_keys:
        raise EnclaveInfoSignatureInvalid("no auditor public keys are configured")
    if len(signatures) != len(public_keys):
        raise EnclaveInfoSignatureInvalid(
            f"enclave_info has {len(signatures)} signatures for {len(public_keys)} auditor keys"
        )
    unmatched = list(public_keys)
    for index, signature in enumerate(signatures):
        for key in unmatched:
            try:
                key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                continue
            unmatched.remove(key)
            break
        else:
            raise EnclaveInfoSignatureInvalid(
                f"auditor signature #{index + 1} does not verify under any remaining auditor key"
            )
