from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse.attestation import enclave_info as ei
from teahouse.attestation import errors
from teahouse.tee import Measurement


@pytest.fixture(scope="module")
def keys() -> list[rsa.RSAPrivateKey]:
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


def test_render_and_parse_round_trip() -> None:
    info = ei.EnclaveInfo({"teaclave_storage_service": Measurement(b"\x01" * 32, b"\x02" * 32)})
    text = info.render()
    assert b'[teaclave_storage_service]\nmr_enclave = "' + b"01" * 32 in text
    assert ei.EnclaveInfo.parse(text) == info
    assert info.for_service("storage") == Measurement(b"\x01" * 32, b"\x02" * 32)


def test_every_auditor_must_sign(keys: list[rsa.RSAPrivateKey]) -> None:
    data = b"[teaclave_storage_service]\n"
    publics = [k.public_key() for k in keys]
    signatures = [ei.sign(data, k) for k in reversed(keys)]
    ei.verify_signatures(data, signatures, publics)
    with pytest.raises(errors.EnclaveInfoSignatureInvalid):
        ei.verify_signatures(data + b"x", signatures, publics)
    with pytest.raises(errors.EnclaveInfoSignatureInvalid):
        ei.verify_signatures(data, signatures[:2], publics)
    with pytest.raises(errors.EnclaveInfoSignatureInvalid):
        ei.verify_signatures(data, [signatures[0]] * 3, publics)
    with pytest.raises(errors.EnclaveInfoSignatureInvalid):
        ei.verify_signatures(data, [], [])


def test_malformed_enclave_info() -> None:
    with pytest.raises(errors.EnclaveInfoError):
        ei.EnclaveInfo.parse(b'[teaclave_storage_service]\nmr_enclave = "zz"\n')
    with pytest.raises(errors.EnclaveInfoError):
        ei.EnclaveInfo.parse(b"not = [toml")
