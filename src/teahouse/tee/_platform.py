"""The TEE platform interface that every backend implements."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Measurement:
    """An enclave's identity: the digest of its code and the digest of its signer's key."""

    mr_enclave: bytes
    mr_signer: bytes

    def __post_init__(self) -> None:
        if len(self.mr_enclave) != 32 or len(self.mr_signer) != 32:
            raise ValueError("mr_enclave and mr_signer are 32 bytes each")

    @property
    def mr_enclave_hex(self) -> str:
        return self.mr_enclave.hex()

    @property
    def mr_signer_hex(self) -> str:
        return self.mr_signer.hex()


class SealPolicy(enum.Enum):
    """What a sealing key is bound to, as SGX's key policies."""

    MRENCLAVE = "mrenclave"  # only this exact code can unseal
    MRSIGNER = "mrsigner"  # any code from the same signer (survives upgrades)


class TeePlatform(Protocol):
    """The trusted environment one service runs in."""

    #: Short backend name ("sim", "gramine", "tsm").
    kind: str
    #: True when no hardware protects this environment.
    simulated: bool

    def measurement(self) -> Measurement: ...

    def quote(self, report_data: bytes) -> bytes:
        """Evidence binding ``report_data`` (64 bytes) to this environment's measurement."""
        ...

    def sealing_key(self, label: str, policy: SealPolicy = SealPolicy.MRSIGNER) -> bytes:
        """A 32-byte key, stable for this deployment and measurement (per ``policy``) and label."""
        ...
