"""The generated modules carry exactly Teaclave's schema (spec/wire.md §1) plus the listed additions.

``expected_schema.json`` was written from the spec's tables; this test reads the descriptors that
the generated ``*_pb2`` modules load and compares them item by item.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import descriptor_pb2

EXPECTED = json.loads((Path(__file__).parent / "expected_schema.json").read_text())
TEACLAVE: dict[str, Any] = EXPECTED["teaclave"]
ADDITIONS: dict[str, Any] = EXPECTED["teahouse_additions"]

_FDP = descriptor_pb2.FieldDescriptorProto
_SCALARS = {
    _FDP.TYPE_STRING: "string",
    _FDP.TYPE_BYTES: "bytes",
    _FDP.TYPE_BOOL: "bool",
    _FDP.TYPE_INT32: "int32",
    _FDP.TYPE_INT64: "int64",
    _FDP.TYPE_UINT32: "uint32",
    _FDP.TYPE_UINT64: "uint64",
    _FDP.TYPE_DOUBLE: "double",
    _FDP.TYPE_FLOAT: "float",
}


def _file_proto(proto_name: str) -> descriptor_pb2.FileDescriptorProto:
    module = importlib.import_module(f"teahouse.proto.{proto_name.removesuffix('.proto')}_pb2")
    return descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb)


def _type_name(field: descriptor_pb2.FieldDescriptorProto) -> str:
    return _SCALARS.get(field.type) or field.type_name.lstrip(".")


def _messages(fdp: descriptor_pb2.FileDescriptorProto) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for msg in fdp.message_type:
        full = f"{fdp.package}.{msg.name}"
        maps = {f"{full}.{nested.name}": nested for nested in msg.nested_type if nested.options.map_entry}
        assert len(maps) == len(msg.nested_type), f"{full} declares nested types"
        assert not msg.enum_type, f"{full} declares nested enums"
        fields: dict[str, Any] = {}
        for field in msg.field:
            entry = maps.get(field.type_name.lstrip("."))
            if entry is not None:
                key, value = entry.field
                kind, label = f"map<{_type_name(key)}, {_type_name(value)}>", "map"
            else:
                kind = _type_name(field)
                label = "repeated" if field.label == _FDP.LABEL_REPEATED else "singular"
            oneof = msg.oneof_decl[field.oneof_index].name if field.HasField("oneof_index") else None
            assert not field.proto3_optional, f"{full}.{field.name} is `optional`"
            fields[field.name] = {"number": field.number, "type": kind, "label": label, "oneof": oneof}
        out[full] = fields
    return out


def _load_actual() -> dict[str, Any]:
    files: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    enums: dict[str, Any] = {}
    services: dict[str, Any] = {}
    for proto_name in TEACLAVE["files"]:
        fdp = _file_proto(proto_name)
        files[proto_name] = {
            "package": fdp.package,
            "dependencies": sorted(fdp.dependency),
            "syntax": fdp.syntax,
            "has_options": fdp.HasField("options"),
        }
        messages.update(_messages(fdp))
        for enum in fdp.enum_type:
            enums[f"{fdp.package}.{enum.name}"] = {v.name: v.number for v in enum.value}
        for svc in fdp.service:
            rpcs = {}
            for method in svc.method:
                assert not (method.client_streaming or method.server_streaming), method.name
                rpcs[method.name] = {
                    "request": method.input_type.lstrip("."),
                    "response": method.output_type.lstrip("."),
                }
            services[f"{fdp.package}.{svc.name}"] = rpcs
    return {"files": files, "messages": messages, "enums": enums, "services": services}


ACTUAL = _load_actual()


@pytest.mark.parametrize("proto_name", sorted(TEACLAVE["files"]))
def test_file_package_imports_and_syntax(proto_name: str) -> None:
    actual = ACTUAL["files"][proto_name]
    assert actual["package"] == TEACLAVE["files"][proto_name]["package"]
    assert actual["dependencies"] == TEACLAVE["files"][proto_name]["dependencies"]
    assert actual["syntax"] == "proto3"
    assert not actual["has_options"]


@pytest.mark.parametrize("name", sorted(TEACLAVE["messages"]))
def test_teaclave_message_is_identical(name: str) -> None:
    assert ACTUAL["messages"].get(name) == TEACLAVE["messages"][name]


@pytest.mark.parametrize("name", sorted(TEACLAVE["enums"]))
def test_teaclave_enum_is_identical(name: str) -> None:
    assert ACTUAL["enums"].get(name) == TEACLAVE["enums"][name]


@pytest.mark.parametrize("name", sorted(TEACLAVE["services"]))
def test_teaclave_rpcs_are_identical(name: str) -> None:
    actual = ACTUAL["services"].get(name, {})
    additions = ADDITIONS["services"].get(name, {})
    teaclave_part = {rpc: sig for rpc, sig in actual.items() if rpc not in additions}
    assert teaclave_part == TEACLAVE["services"][name]


def test_only_the_listed_additions_exist() -> None:
    extra_messages = {k: v for k, v in ACTUAL["messages"].items() if k not in TEACLAVE["messages"]}
    assert extra_messages == ADDITIONS["messages"]
    assert set(ACTUAL["enums"]) == set(TEACLAVE["enums"])
    assert set(ACTUAL["services"]) == set(TEACLAVE["services"])
    for name, rpcs in ACTUAL["services"].items():
        extra = {rpc: sig for rpc, sig in rpcs.items() if rpc not in TEACLAVE["services"][name]}
        assert extra == ADDITIONS["services"].get(name, {}), name


def test_expected_schema_counts_match_the_spec() -> None:
    # Guards the JSON itself against accidental truncation.
    assert len(TEACLAVE["messages"]) == 82
    assert len(TEACLAVE["services"]) == 7
    assert len(TEACLAVE["services"]["teaclave_frontend_service_proto.TeaclaveFrontend"]) == 22
    assert len(TEACLAVE["services"]["teaclave_management_service_proto.TeaclaveManagement"]) == 23
