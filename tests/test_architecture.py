"""Layering rules (style.md §3): domain code knows nothing of gRPC or protobuf."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import teahouse

ROOT = Path(teahouse.__file__).parent
FORBIDDEN = ("grpclib", "google.protobuf", "grpc", "teahouse.proto", "teahouse.rpc", "OpenSSL")
#: Modules whose job is the RPC layer: handlers, process wiring, clients of other services.
RPC_LAYER = {"handlers.py", "app.py", "__main__.py", "client.py"}
DOMAIN_PACKAGES = ["services", "model", "crypto", "executors", "functions", "fileagent", "kv.py", "errors.py"]


def _domain_modules() -> list[Path]:
    found: list[Path] = []
    for entry in DOMAIN_PACKAGES:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py")) if path.is_dir() else []
        found += [f for f in files if f.name not in RPC_LAYER]
    return found


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_does_not_import_the_rpc_layer(path: Path) -> None:
    bad = [name for name in _imports(path) if name.startswith(FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_services_do_not_import_each_others_code() -> None:
    """A service runs only the code its measurement covers: shared packages plus its own."""
    services = ROOT / "services"
    allowed_shared = {"storage.client"}  # the storage client is how services persist
    for package in sorted(p for p in services.iterdir() if p.is_dir() and p.name != "__pycache__"):
        for path in package.rglob("*.py"):
            for name in _imports(path):
                if not name.startswith("teahouse.services."):
                    continue
                other = name.removeprefix("teahouse.services.")
                if other.split(".")[0] == package.name or other in allowed_shared:
                    continue
                raise AssertionError(f"{path.relative_to(ROOT)} imports {name}")
