"""The simulation TEE backend: real code, real keys and signatures, no hardware protection.

A deployment has three platform secrets, created on first start under ``<home>/secrets/platform``:

- the *builder key* (``mr_signer`` is the SHA-256 of its public key), standing in for the key
  that signs enclaves;
- the *quoting key* (P-256), standing in for the quoting enclave: it signs every quote, and the
  attestation service verifies quotes with its public half;
- the *sealing secret*, from which sealing keys are derived per measurement and label.

Quotes carry the DEBUG attribute and the ``TEAHOUSE-SIM-QE`` vendor id, so that evidence from
this backend always says that it is simulated.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from teahouse.attestation.quote import QUOTE_BODY_SIZE, build_quote_body
from teahouse.fsutil import create_once
from teahouse.tee import measure
from teahouse.tee._platform import Measurement, SealPolicy


class SimQuoteError(ValueError):
    """A simulated quote that does not parse or whose quoting signature does not verify."""


def _new_ed25519_pem() -> bytes:
    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _new_p256_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class SimSecrets:
    """The deployment's simulated platform secrets."""

    builder_key: ed25519.Ed25519PrivateKey
    quoting_key: ec.EllipticCurvePrivateKey
    sealing_secret: bytes

    @classmethod
    def load_or_create(cls, directory: Path) -> SimSecrets:
        builder = serialization.load_pem_private_key(
            create_once(directory / "builder.key", _new_ed25519_pem), None
        )
        quoting = serialization.load_pem_private_key(
            create_once(directory / "quoting.key", _new_p256_pem), None
        )
        sealing = create_once(directory / "sealing.secret", lambda: os.urandom(32))
        if not isinstance(builder, ed25519.Ed25519PrivateKey):
            raise ValueError(f"{directory / 'builder.key'} is not an Ed25519 key")
        if not isinstance(quoting, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{directory / 'quoting.key'} is not a P-256 key")
        public_quoting = directory / "quoting.pub.pem"
        create_once(
            public_quoting,
            lambda: quoting.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
            private=False,
        )
        return cls(builder, quoting, sealing)

    @property
    def mr_signer(self) -> bytes:
        public = self.builder_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return hashlib.sha256(public).digest()


def sim_measurement(
    secrets: SimSecrets, service: str, build_config: bytes, extra_code: tuple[Path, ...] = ()
) -> Measurement:
    return Measurement(
        mr_enclave=measure.code_digest(service, build_config, extra_code), mr_signer=secrets.mr_signer
    )


class SimPlatform:
    """The simulated environment of one service."""

    kind = "sim"
    simulated = True

    def __init__(
        self, secrets: SimSecrets, service: str, build_config: bytes, extra_code: tuple[Path, ...] = ()
    ) -> None:
        self._secrets = secrets
        self._measurement = sim_measurement(secrets, service, build_config, extra_code)

    def measurement(self) -> Measurement:
        return self._measurement

    def quote(self, report_data: bytes) -> bytes:
        body = build_quote_body(
            mr_enclave=self._measurement.mr_enclave,
            mr_signer=self._measurement.mr_signer,
            report_data=report_data,
            debug=True,
        )
        signature = self._secrets.quoting_key.sign(body, ec.ECDSA(hashes.SHA256()))
        return body + struct.pack("<H", len(signature)) + signature

    def sealing_key(self, label: str, policy: SealPolicy = SealPolicy.MRSIGNER) -> bytes:
        bound_to = (
            self._measurement.mr_enclave if policy is SealPolicy.MRENCLAVE else self._measurement.mr_signer
        )
        info = b"teahouse-seal-v1\0" + policy.value.encode() + b"\0" + bound_to + b"\0" + label.encode()
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            self._secrets.sealing_secret
        )


def verify_sim_quote(quote: bytes, quoting_public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Check a simulated quote's quoting signature; return its 432-byte body."""
    if len(quote) < QUOTE_BODY_SIZE + 2:
        raise SimQuoteError(f"quote is {len(quote)} bytes, too short")
    body = quote[:QUOTE_BODY_SIZE]
    (sig_len,) = struct.unpack("<H", quote[QUOTE_BODY_SIZE : QUOTE_BODY_SIZE + 2])
    signature = quote[QUOTE_BODY_SIZE + 2 :]
    if len(signature) != sig_len:
        raise SimQuoteError("quote signature length does not match")
    try:
        quoting_public_key.verify(signature, body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SimQuoteError("quote is not signed by this deployment's quoting key") from None
    return body
