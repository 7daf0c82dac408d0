"""What a client trusts: an exported trust folder, checked before anything is sent.

Verification cannot be switched off. A simulated platform is accepted only because the folder's
attestation root is that platform's own simulation root, which the caller chose to trust by
loading it; clients built on such a folder say ``simulated`` in their ``repr`` and log a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from teahouse.attestation.enclave_info import verify_signatures
from teahouse.attestation.errors import EnclaveInfoError
from teahouse.attestation.trust import AUDITORS_DIR, ENCLAVE_INFO_FILE, ROOT_FILE, TrustBundle
from teahouse.attestation.verify import TrustAnchors, VerifiedPeer, Verifier
from teahouse.sdk._errors import TrustError


class Trust:
    """The attestation root, the audited measurements and a verifier built from them.

    Use :meth:`load`; the constructor takes anchors whose enclave_info was checked by other means.
    """

    def __init__(self, anchors: TrustAnchors, *, source: str = "") -> None:
        self._anchors = anchors
        self._verifier = Verifier(anchors)
        self.source = source

    @classmethod
    def load(cls, directory: str | Path) -> Trust:
        """Read ``as_root_ca.pem``, ``enclave_info.toml`` and ``auditors/`` and check the signatures.

        Raises :class:`TrustError` naming the file at fault: a missing file, a root that is not
        a PEM certificate, an auditor key without its signature, or a signature that does not
        verify over enclave_info.
        """
        folder = Path(directory)
        if not folder.is_dir():
            raise TrustError(f"trust folder {folder} does not exist", str(folder))
        for name in (ROOT_FILE, ENCLAVE_INFO_FILE):
            if not (folder / name).is_file():
                raise TrustError(f"trust folder {folder} lacks {name}", str(folder / name))
        try:
            bundle = TrustBundle.load(folder)
        except EnclaveInfoError as exc:
            raise TrustError(exc.message, str(folder)) from exc
        _check_auditors(folder, bundle)
        try:
            anchors = bundle.anchors()
        except EnclaveInfoError as exc:
            raise TrustError(exc.message, str(folder / ENCLAVE_INFO_FILE)) from exc
        return cls(anchors, source=str(folder))

    @property
    def simulated(self) -> bool:
        """True when the root is a simulation root: the platform has no hardware protection."""
        return self._anchors.simulation_root

    @property
    def verifier(self) -> Verifier:
        return self._verifier

    def __repr__(self) -> str:
        kind = "simulated" if self.simulated else "hardware"
        return f"Trust({self.source!r}, {kind})"


def _check_auditors(folder: Path, bundle: TrustBundle) -> None:
    auditors = folder / AUDITORS_DIR
    if not bundle.auditor_keys:
        raise TrustError(f"{auditors} holds no auditor public keys (*.public.pem)", str(auditors))
    for name, key in bundle.auditor_keys.items():
        signature_file = auditors / f"{name}.sign.sha256"
        signature = bundle.signatures.get(name)
        if signature is None:
            raise TrustError(
                f"{signature_file} is missing (auditor {name!r} has no signature)", str(signature_file)
            )
        try:
            verify_signatures(bundle.enclave_info_bytes, [signature], [key])
        except EnclaveInfoError:
            raise TrustError(
                f"{signature_file} is not {name!r}'s valid signature of {folder / ENCLAVE_INFO_FILE}",
                str(signature_file),
            ) from None


@dataclass(frozen=True)
class PeerInfo:
    """What attestation established about the server a client is connected to.

    ``report_age`` is the report's age when it was verified (on connecting).
    """

    service: str
    mr_enclave: str
    mr_signer: str
    report_time: datetime
    report_age: timedelta
    quote_status: str
    simulated: bool

    @classmethod
    def of(cls, peer: VerifiedPeer) -> PeerInfo:
        return cls(
            service=peer.service,
            mr_enclave=peer.measurement.mr_enclave_hex,
            mr_signer=peer.measurement.mr_signer_hex,
            report_time=peer.report.timestamp,
            report_age=peer.age,
            quote_status=peer.report.quote_status,
            simulated=peer.simulated,
        )
