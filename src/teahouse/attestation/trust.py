"""Loading what a party trusts from a trust folder (``teahouse trust export`` writes one).

A trust folder holds ``as_root_ca.pem``, ``enclave_info.toml`` and ``auditors/<name>.public.pem``
with ``auditors/<name>.sign.sha256``. Services verify the auditor signatures before serving.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse.attestation.enclave_info import EnclaveInfo, verify_signatures
from teahouse.attestation.errors import EnclaveInfoError
from teahouse.attestation.verify import TrustAnchors

ROOT_FILE = "as_root_ca.pem"
ENCLAVE_INFO_FILE = "enclave_info.toml"
AUDITORS_DIR = "auditors"


@dataclass(frozen=True)
class TrustBundle:
    as_root: x509.Certificate
    enclave_info_bytes: bytes
    auditor_keys: dict[str, rsa.RSAPublicKey]
    signatures: dict[str, bytes]

    @classmethod
    def load(cls, directory: Path, *, with_enclave_info: bool = True) -> TrustBundle:
        """Read a trust folder; ``with_enclave_info=False`` while enclave_info is being made."""
        directory = Path(directory)
        try:
            root = x509.load_pem_x509_certificate((directory / ROOT_FILE).read_bytes())
            info = (directory / ENCLAVE_INFO_FILE).read_bytes() if with_enclave_info else b""
        except FileNotFoundError as exc:
            raise EnclaveInfoError(f"trust folder {directory} lacks {Path(exc.filename).name}") from None
        except ValueError as exc:
            raise EnclaveInfoError(f"{directory / ROOT_FILE} is not a PEM certificate: {exc}") from None
        keys: dict[str, rsa.RSAPublicKey] = {}
        signatures: dict[str, bytes] = {}
        auditors = directory / AUDITORS_DIR
        for path in sorted(auditors.glob("*.public.pem")) if auditors.is_dir() else []:
            name = path.name.removesuffix(".public.pem")
            key = serialization.load_pem_public_key(path.read_bytes())
            if not isinstance(key, rsa.RSAPublicKey):
                raise EnclaveInfoError(f"{path} is not an RSA public key")
            keys[name] = key
            sig = auditors / f"{name}.sign.sha256"
            if sig.exists():
                signatures[name] = sig.read_bytes()
        return cls(root, info, keys, signatures)

    def verify_auditors(self) -> None:
        """Every auditor key must have signed enclave_info; raises otherwise."""
        verify_signatures(
            self.enclave_info_bytes, list(self.signatures.values()), list(self.auditor_keys.values())
        )

    def anchors(self) -> TrustAnchors:
        return TrustAnchors(as_root=self.as_root, enclave_info=EnclaveInfo.parse(self.enclave_info_bytes))
