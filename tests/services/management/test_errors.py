"""Codes and messages of spec/wire.md §2.6, and the purity of the domain modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import teahouse.services.management as package
from teahouse.errors import Code, PermissionDenied, TeahouseError
from teahouse.services.management import errors

TEACLAVE = [
    (PermissionDenied, Code.PERMISSION_DENIED, "permission denied"),
    (errors.InvalidDataId, Code.INVALID_ARGUMENT, "invalid data id"),
    (errors.InvalidOutputFile, Code.INVALID_ARGUMENT, "invalid output file"),
    (errors.InvalidFunctionId, Code.INVALID_ARGUMENT, "invalid function id"),
    (errors.InvalidTaskId, Code.INVALID_ARGUMENT, "invalid task id"),
    (errors.InvalidTask, Code.INVALID_ARGUMENT, "invalid task"),
    (errors.MissingUserId, Code.UNKNOWN, "missing user id"),
    (errors.MissingUserRole, Code.UNKNOWN, "missing user role"),
    (errors.TaskAssignDataError, Code.UNKNOWN, "failed to assign data to task"),
    (errors.TaskApproveError, Code.UNKNOWN, "failed to approve task"),
    (errors.TaskInvokeError, Code.UNKNOWN, "failed to invoke task"),
    (errors.TaskCancelError, Code.UNKNOWN, "failed to cancel task, reason: task has already been canceled"),
    (errors.FunctionQuotaError, Code.UNKNOWN, "function quota has been used up"),
]


@pytest.mark.parametrize(("cls", "code", "message"), TEACLAVE)
def test_teaclave_codes_and_messages(cls: type[TeahouseError], code: Code, message: str) -> None:
    error = cls()
    assert (error.code, error.message, str(error)) == (code, message, message)


def test_messages_with_a_reason() -> None:
    assert (
        errors.TaskCancelError("cannot update result").message
        == "failed to cancel task, reason: cannot update result"
    )
    assert errors.AuditError("x").message == "audit log error, reason: x"
    assert errors.AuditError("x").code is Code.UNKNOWN
    assert errors.InvalidAuditQuery("bad").message == "invalid audit query: bad"


def test_every_error_is_exported_and_a_teahouse_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, TeahouseError), name


FORBIDDEN = ("grpclib", "google.protobuf", "grpc", "teahouse.proto", "teahouse.rpc")


def test_no_domain_module_imports_grpc_or_protobuf() -> None:
    roots = [Path(package.__file__).parent, Path(package.__file__).parents[2] / "model"]
    paths = [
        p
        for root in roots
        for p in root.glob("*.py")
        if p.name not in ("handlers.py", "__main__.py", "app.py")
    ]
    assert len(paths) > 15
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
