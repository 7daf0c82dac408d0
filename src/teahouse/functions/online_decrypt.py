"""``builtin_online_decrypt``: AES-GCM-open base64 ``encrypted_data`` and return it as text."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from teahouse.functions._args import STRING, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin_online_decrypt"
_KEY_SIZES = {"aes128gcm": 16, "aes256gcm": 32}
_ERROR = "decryption error"


@dataclass(frozen=True)
class OnlineDecryptArguments:
    key: str = arg(STRING)
    nonce: str = arg(STRING)
    encrypted_data: str = arg(STRING)
    algorithm: str = arg(STRING)


def _b64(name: str, text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FunctionError(f"{_ERROR}: argument `{name}` is not standard padded base64") from None


def run(rt: FunctionRuntime[OnlineDecryptArguments]) -> str:
    args = rt.args
    key_size = _KEY_SIZES.get(args.algorithm)
    if key_size is None:
        raise FunctionError(
            f"{_ERROR}: argument `algorithm` is {args.algorithm!r}, expected 'aes128gcm' or 'aes256gcm'"
        )
    key = _b64("key", args.key)
    nonce = _b64("nonce", args.nonce)
    data = _b64("encrypted_data", args.encrypted_data)
    if len(key) != key_size:
        reason = f"{_ERROR}: argument `key` has {len(key)} bytes, {args.algorithm} needs {key_size}"
        raise FunctionError(reason)
    if len(nonce) < 12:
        raise FunctionError(f"{_ERROR}: argument `nonce` has {len(nonce)} bytes, needs at least 12")
    try:
        plaintext = AESGCM(key).decrypt(nonce[:12], data, None)
    except InvalidTag:
        raise FunctionError(f"{_ERROR}: the data does not authenticate under this key and nonce") from None
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError(f"{_ERROR}: the plaintext is not UTF-8 text") from None


BUILTIN = Builtin(NAME, OnlineDecryptArguments, run, "teaclave_function::online_decrypt")
