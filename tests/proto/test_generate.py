"""The committed stubs match the .proto files, and the generator's import rewriting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from teahouse.proto import generate

PROTO_FILES = [
    "teaclave_access_control_service.proto",
    "teaclave_authentication_service.proto",
    "teaclave_common.proto",
    "teaclave_frontend_service.proto",
    "teaclave_management_service.proto",
    "teaclave_scheduler_service.proto",
    "teaclave_storage_service.proto",
]


def test_the_seven_teaclave_proto_files_are_present() -> None:
    names = [p.name for p in generate.proto_files()]
    assert [n for n in names if n.startswith("teaclave_")] == PROTO_FILES
    # Teahouse's own services live in files of their own, never in Teaclave's packages.
    assert [n for n in names if not n.startswith("teaclave_")] == ["teahouse_executor_service.proto"]


def test_committed_stubs_are_not_stale(capsys: pytest.CaptureFixture[str]) -> None:
    assert generate.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.fixture
def proto_copy(tmp_path: Path) -> Path:
    for path in generate.PROTO_DIR.iterdir():
        if path.suffix == ".proto" or generate.is_generated(path):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_check_reports_edited_missing_and_orphaned_modules(proto_copy: Path) -> None:
    (proto_copy / "teaclave_common_pb2.py").write_text("# edited by hand\n")
    (proto_copy / "teaclave_storage_service_grpc.py").unlink()
    (proto_copy / "teaclave_gone_pb2.py").write_text("")
    assert generate.stale_files(proto_copy) == [
        "teaclave_common_pb2.py",
        "teaclave_gone_pb2.py",
        "teaclave_storage_service_grpc.py",
    ]


def test_check_reports_a_changed_proto(proto_copy: Path) -> None:
    proto = proto_copy / "teaclave_access_control_service.proto"
    proto.write_text(proto.read_text().replace("bool accept = 1;", "bool accept = 1;\n  string why = 2;"))
    assert generate.stale_files(proto_copy) == [
        "teaclave_access_control_service_pb2.py",
        "teaclave_access_control_service_pb2.pyi",
    ]


def test_check_ignores_the_generator_version_lines(proto_copy: Path) -> None:
    module = proto_copy / "teaclave_common_pb2.py"
    text = module.read_text()
    older = text.replace("# Protobuf Python Version: ", "# Protobuf Python Version: 0.")
    older = older.replace("_runtime_version.Domain.PUBLIC,\n    ", "_runtime_version.Domain.PUBLIC,\n    1")
    assert older != text
    module.write_text(older)
    assert generate.stale_files(proto_copy) == []


def test_main_fails_with_a_listing_when_stale(
    proto_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (proto_copy / "teaclave_common_pb2.pyi").write_text("")
    monkeypatch.setattr(generate, "PROTO_DIR", proto_copy)
    assert generate.main(["--check"]) == 1
    assert "teaclave_common_pb2.pyi" in capsys.readouterr().err


def test_sibling_imports_become_package_relative() -> None:
    source = (
        "import abc\n"
        "import teaclave_common_pb2 as teaclave__common__pb2\n"
        "import teaclave_frontend_service_pb2\n"
        "from google.protobuf import empty_pb2 as google_dot_protobuf_dot_empty__pb2\n"
        "    x = teaclave_common_pb2.TaskResult\n"
    )
    assert generate.rewrite_imports(source) == (
        "import abc\n"
        "from . import teaclave_common_pb2 as teaclave__common__pb2\n"
        "from . import teaclave_frontend_service_pb2\n"
        "from google.protobuf import empty_pb2 as google_dot_protobuf_dot_empty__pb2\n"
        "    x = teaclave_common_pb2.TaskResult\n"
    )


def test_no_committed_module_imports_a_sibling_absolutely() -> None:
    for path in generate.PROTO_DIR.iterdir():
        if generate.is_generated(path):
            assert generate.rewrite_imports(path.read_text()) == path.read_text(), path.name
