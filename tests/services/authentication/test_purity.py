"""Domain modules know nothing of gRPC or protobuf (style.md §3.1)."""

from __future__ import annotations

import ast
from pathlib import Path

import teahouse.services.authentication as package

FORBIDDEN = ("grpclib", "google.protobuf", "grpc", "teahouse.proto", "teahouse.rpc")
DOMAIN_MODULES = ["__init__", "errors", "passwords", "roles", "service", "tokens", "users"]


def test_no_domain_module_imports_grpc_or_protobuf() -> None:
    for module in DOMAIN_MODULES:
        path = Path(package.__file__).parent / f"{module}.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
