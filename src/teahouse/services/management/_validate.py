"""Validation of request fields, each failure an :class:`InvalidRequest` naming field and problem.

Teaclave answers these with code 13 and the Rust debug text of a parse error; Teahouse answers
code 3 with a message a user can act on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from teahouse.crypto.files import CMAC_SIZE, FileCrypto, InvalidFileCrypto
from teahouse.errors import InvalidArgument
from teahouse.model import Executor, ExecutorType, JSONValue
from teahouse.services.management.errors import InvalidRequest
from teahouse.services.management.messages import FileCryptoInfo

URL_SCHEMES = ("data", "file", "fusion", "http", "https")
MAX_PAYLOAD = 4 * 1024 * 1024
"""The gRPC message limit; no payload can be larger."""


def url(value: str, name: str = "url") -> str:
    """A URL the file agent can fetch or upload: it parses and its scheme is one we serve."""
    if not value:
        raise InvalidRequest(f"{name}: must not be empty")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise InvalidRequest(f"{name}: must not contain whitespace or control characters")
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError as exc:
        raise InvalidRequest(f"{name}: {value!r} does not parse ({exc})") from None
    if not parts.scheme:
        raise InvalidRequest(f"{name}: {value!r} has no scheme (expected one of {', '.join(URL_SCHEMES)})")
    if parts.scheme not in URL_SCHEMES:
        raise InvalidRequest(
            f"{name}: unsupported scheme {parts.scheme!r} (expected one of {', '.join(URL_SCHEMES)})"
        )
    if parts.scheme in ("http", "https") and not parts.hostname:
        raise InvalidRequest(f"{name}: {value!r} has no host")
    if parts.scheme in ("file", "fusion") and not parts.path:
        raise InvalidRequest(f"{name}: {value!r} has no path")
    if parts.scheme == "data" and "," not in parts.path:
        raise InvalidRequest(f"{name}: {value!r} is not a data URL (no ',' before the data)")
    return value


def cmac(value: bytes) -> bytes:
    if len(value) != CMAC_SIZE:
        raise InvalidRequest(f"cmac: must be {CMAC_SIZE} bytes, got {len(value)}")
    return bytes(value)


def crypto_info(info: FileCryptoInfo | None) -> FileCrypto:
    if info is None:
        raise InvalidRequest("crypto_info: required")
    try:
        return FileCrypto.from_wire(info.schema, info.key, info.iv)
    except InvalidFileCrypto as exc:
        raise InvalidRequest(f"crypto_info: {exc.message}") from None


def executor_type(value: str) -> ExecutorType:
    try:
        return ExecutorType.parse(value)
    except InvalidArgument as exc:
        raise InvalidRequest(exc.message) from None


def executor(value: str) -> Executor:
    try:
        return Executor.parse(value)
    except InvalidArgument as exc:
        raise InvalidRequest(exc.message) from None


def payload(value: bytes) -> bytes:
    if len(value) > MAX_PAYLOAD:
        raise InvalidRequest(f"payload: {len(value)} bytes exceed the {MAX_PAYLOAD}-byte message limit")
    return bytes(value)


def wasm_payload(value: bytes) -> None:
    """A ``wamr`` function must be a module the executor can run: refused at registration, not at
    its first task (an unknown host import, a missing ``entrypoint``, not WebAssembly at all)."""
    # Imported here: only management processes that see a wamr function load wasmtime.
    from teahouse.executors.wasm import validate_payload

    try:
        validate_payload(value)
    except InvalidArgument as exc:
        raise InvalidRequest(f"payload: {exc.message}") from None


def unique(names: Iterable[str], what: str) -> None:
    """Declared names must be distinct: a duplicate would make the declaration ambiguous."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidRequest(f"{what}: {name!r} is declared twice")
        seen.add(name)


def _no_constant(token: str) -> JSONValue:
    raise ValueError(f"{token} is not JSON")


def json_object(text: str, name: str) -> dict[str, JSONValue]:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        raise InvalidRequest(f"{name}: not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise InvalidRequest(f"{name}: must be a JSON object, got {type(value).__name__}")
    return value
