"""The SGX quote body: 48-byte header + 384-byte report body (spec/wire.md §4.3).

Only the fields that verification reads are named; everything else is kept as raw bytes so that
a quote round-trips exactly.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

QUOTE_BODY_SIZE = 432

_VERSION = slice(0, 2)
_SIGN_TYPE = slice(2, 4)
_QE_VENDOR_ID = slice(12, 28)
_ATTRIBUTES = slice(96, 112)
_MR_ENCLAVE = slice(112, 144)
_MR_SIGNER = slice(176, 208)
_ISV_PROD_ID = slice(304, 306)
_ISV_SVN = slice(306, 308)
_REPORT_DATA = slice(368, 432)

#: SGX attribute flags (the low 8 bytes of ``attributes``).
FLAG_INIT = 0x01
FLAG_DEBUG = 0x02
FLAG_MODE64BIT = 0x04

#: ``qe_vendor_id`` of quotes made by the simulation backend: says plainly what they are.
SIM_QE_VENDOR_ID = b"TEAHOUSE-SIM-QE\x00"


class QuoteFormatError(ValueError):
    """The bytes are not a quote body of the expected layout."""


@dataclass(frozen=True)
class QuoteBody:
    version: int
    sign_type: int
    qe_vendor_id: bytes
    attribute_flags: int
    mr_enclave: bytes
    mr_signer: bytes
    isv_prod_id: int
    isv_svn: int
    report_data: bytes
    raw: bytes

    @property
    def debug(self) -> bool:
        return bool(self.attribute_flags & FLAG_DEBUG)

    @property
    def simulated(self) -> bool:
        return self.qe_vendor_id == SIM_QE_VENDOR_ID

    @classmethod
    def parse(cls, raw: bytes) -> QuoteBody:
        if len(raw) != QUOTE_BODY_SIZE:
            raise QuoteFormatError(f"quote body is {len(raw)} bytes, expected {QUOTE_BODY_SIZE}")
        (version,) = struct.unpack("<H", raw[_VERSION])
        (sign_type,) = struct.unpack("<H", raw[_SIGN_TYPE])
        if version in (1, 2):
            if sign_type not in (0, 1):
                raise QuoteFormatError(f"EPID quote with unknown sign type {sign_type}")
        elif version == 3:
            if sign_type not in (2, 3):
                raise QuoteFormatError(f"ECDSA quote with unknown attestation key type {sign_type}")
        else:
            raise QuoteFormatError(f"unknown quote version {version}")
        (flags,) = struct.unpack("<Q", raw[_ATTRIBUTES][:8])
        return cls(
            version=version,
            sign_type=sign_type,
            qe_vendor_id=raw[_QE_VENDOR_ID],
            attribute_flags=flags,
            mr_enclave=raw[_MR_ENCLAVE],
            mr_signer=raw[_MR_SIGNER],
            isv_prod_id=struct.unpack("<H", raw[_ISV_PROD_ID])[0],
            isv_svn=struct.unpack("<H", raw[_ISV_SVN])[0],
            report_data=raw[_REPORT_DATA],
            raw=raw,
        )


def build_quote_body(
    *,
    mr_enclave: bytes,
    mr_signer: bytes,
    report_data: bytes,
    debug: bool,
    qe_vendor_id: bytes = SIM_QE_VENDOR_ID,
    isv_prod_id: int = 0,
    isv_svn: int = 0,
) -> bytes:
    """An ECDSA (version 3, P-256) quote body with the given report fields."""
    if len(mr_enclave) != 32 or len(mr_signer) != 32:
        raise ValueError("measurements are 32 bytes")
    if len(report_data) != 64:
        raise ValueError("report_data is 64 bytes")
    if len(qe_vendor_id) != 16:
        raise ValueError("qe_vendor_id is 16 bytes")
    body = bytearray(QUOTE_BODY_SIZE)
    body[_VERSION] = struct.pack("<H", 3)
    body[_SIGN_TYPE] = struct.pack("<H", 2)
    body[_QE_VENDOR_ID] = qe_vendor_id
    flags = FLAG_INIT | FLAG_MODE64BIT | (FLAG_DEBUG if debug else 0)
    body[_ATTRIBUTES] = struct.pack("<QQ", flags, 0x03)
    body[_MR_ENCLAVE] = mr_enclave
    body[_MR_SIGNER] = mr_signer
    body[_ISV_PROD_ID] = struct.pack("<H", isv_prod_id)
    body[_ISV_SVN] = struct.pack("<H", isv_svn)
    body[_REPORT_DATA] = report_data
    return bytes(body)
