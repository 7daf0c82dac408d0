"""``builtin-rsa-sign``: RSASSA-PKCS1-v1_5 / SHA-256 signature of ``data`` with ``rsa_key``."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from teahouse.functions._args import STRING, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-rsa-sign"
_MIN_BITS, _MAX_BITS = 2048, 8192  # the modulus sizes ring accepts for signing


@dataclass(frozen=True)
class RsaSignArguments:
    data: str = arg(STRING)


def load_key(der: bytes) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError) as error:
        raise FunctionError(f"input rsa_key: not a DER RSA private key ({error})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise FunctionError("input rsa_key: the key is not an RSA key")
    if not _MIN_BITS <= key.key_size <= _MAX_BITS:
        bits = key.key_size
        raise FunctionError(f"input rsa_key: a {bits}-bit key is outside {_MIN_BITS}..{_MAX_BITS} bits")
    return key


def run(rt: FunctionRuntime[RsaSignArguments]) -> str:
    data = rt.args.data
    key = load_key(rt.read_input("rsa_key"))
    signature = key.sign(data.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


BUILTIN = Builtin(NAME, RsaSignArguments, run, "teaclave_function::rsa_sign")
