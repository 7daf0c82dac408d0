"""Measuring a service: ``mr_enclave`` is the digest of the code that makes up that service.

With the simulation backend there is no enclave loader to measure pages, so the measurement is
a digest over the source files a service runs: the shared core packages plus the service's own
package (and, for execution, the executors and the function library). Change any of those files
and the service's measurement changes, so enclave_info must be regenerated and re-signed.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import teahouse
from teahouse import topology

_PACKAGE_ROOT = Path(teahouse.__file__).resolve().parent

#: Paths (relative to the package) that every service runs.
_COMMON = (
    "__init__.py",
    "errors.py",
    "kv.py",
    "kvcache.py",
    "topology.py",
    "config.py",
    "tee",
    "attestation",
    "rpc",
    "crypto",
    "proto",
    "model",
    "framework",
    "services/__init__.py",
    "services/storage/client.py",  # how every stateful service reaches storage
)

_EXTRA: dict[str, tuple[str, ...]] = {
    topology.EXECUTION: ("executors", "functions", "fileagent"),
    # Management compiles WebAssembly payloads at registration to refuse modules that cannot run.
    topology.MANAGEMENT: (
        "executors/__init__.py",
        "executors/_base.py",
        "executors/_argv.py",
        "executors/wasm",
    ),
}

_MEASURED_SUFFIXES = frozenset({".py", ".proto", ".toml", ".json", ".csv"})


def service_paths(service: str) -> tuple[str, ...]:
    """The package paths a built-in service runs; a custom service runs the shared ones only."""
    if service not in topology.SERVICES:
        return _COMMON
    return (*_COMMON, f"services/{service}", *_EXTRA.get(service, ()))


def _files(paths: tuple[str | Path, ...]) -> list[Path]:
    found: set[Path] = set()
    for rel in paths:
        path = _PACKAGE_ROOT / rel
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix in _MEASURED_SUFFIXES and "__pycache__" not in p.parts
            )
    return sorted(found)


@functools.cache
def code_digest(service: str, build_config: bytes = b"", extra_code: tuple[Path, ...] = ()) -> bytes:
    """SHA-256 over the service's files (each file's relative path and content, length-prefixed)
    and its build configuration: what Teaclave compiles into an enclave, here the digest of the
    trusted attestation root and the auditors' public keys. ``extra_code`` (absolute paths) is the
    code of a custom service built with ``teahouse.framework``."""
    digest = hashlib.sha256(b"teahouse-measurement-v1\0" + service.encode() + b"\0")
    digest.update(len(build_config).to_bytes(4, "little") + build_config)
    for path in _files(service_paths(service)):
        _add(digest, path.relative_to(_PACKAGE_ROOT).as_posix(), path)
    for root in extra_code:
        for path in _files((root,)):
            base = root if root.is_dir() else root.parent
            _add(digest, f"custom:{path.relative_to(base).as_posix()}", path)
    return digest.digest()


def _add(digest: hashlib._Hash, name: str, path: Path) -> None:
    rel = name.encode()
    content = path.read_bytes()
    digest.update(len(rel).to_bytes(4, "little") + rel)
    digest.update(len(content).to_bytes(8, "little") + content)
