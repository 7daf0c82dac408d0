"""Teaclave's serde JSON layouts (spec/wire.md §7.3, §8.2): one golden example per record, round trips."""

from __future__ import annotations

import json
import uuid

import pytest

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.model import (
    NOT_READY,
    AuditEntry,
    CorruptRecord,
    Executor,
    ExecutorType,
    ExternalID,
    Function,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    FunctionUsage,
    InputFile,
    OutputFile,
    StagedInput,
    StagedOutput,
    StagedTask,
    TaskFailure,
    TaskOutputs,
    TaskState,
    TaskStatus,
    UserFunctions,
    entry_ip,
)

F_UUID = uuid.UUID("00000000-0000-4000-8000-000000000001")
T_UUID = uuid.UUID("00000000-0000-4000-8000-000000000002")
I_UUID = uuid.UUID("00000000-0000-4000-8000-000000000003")
O_UUID = uuid.UUID("00000000-0000-4000-8000-000000000004")
KEY = list(range(16))
IV = list(range(12))
CMAC = bytes(range(100, 116))


def input_file() -> InputFile:
    crypto = FileCrypto(Schema.AES_GCM_128, bytes(KEY), bytes(IV))
    return InputFile("http://localhost:6789/a.enc", CMAC, crypto, frozenset({"u2", "u1"}), I_UUID)


def output_file(cmac: bytes | None = None) -> OutputFile:
    crypto = FileCrypto(Schema.TEACLAVE_FILE_128, bytes(KEY))
    return OutputFile("file:///tmp/out.enc", cmac, crypto, frozenset({"u1"}), O_UUID)


INPUT_JSON = {
    "url": "http://localhost:6789/a.enc",
    "cmac": {"tag": list(CMAC)},
    "crypto_info": {"AesGcm128": {"key": KEY, "iv": IV}},
    "owner": {"uids": ["u1", "u2"]},
    "uuid": str(I_UUID),
}
OUTPUT_JSON = {
    "url": "file:///tmp/out.enc",
    "cmac": None,
    "crypto_info": {"TeaclaveFile128": {"key": KEY}},
    "owner": {"uids": ["u1"]},
    "uuid": str(O_UUID),
}


def function() -> Function:
    return Function(
        id=F_UUID,
        name="builtin-echo",
        description="Native Echo Function",
        public=False,
        executor_type=ExecutorType.BUILTIN,
        payload=b"\x00\xff",
        arguments=(FunctionArgument("message", "", True), FunctionArgument("save_log", "false", False)),
        inputs=(FunctionInput("in", "input", False),),
        outputs=(FunctionOutput("out", "output", True),),
        owner="alice",
        user_allowlist=("bob", "carol"),
        usage_quota=None,
    )


FUNCTION_JSON = {
    "id": str(F_UUID),
    "name": "builtin-echo",
    "description": "Native Echo Function",
    "public": False,
    "executor_type": "Builtin",
    "payload": [0, 255],
    "arguments": [
        {"key": "message", "default_value": "", "allow_overwrite": True},
        {"key": "save_log", "default_value": "false", "allow_overwrite": False},
    ],
    "inputs": [{"name": "in", "description": "input", "optional": False}],
    "outputs": [{"name": "out", "description": "output", "optional": True}],
    "owner": "alice",
    "user_allowlist": ["bob", "carol"],
    "usage_quota": None,
}


def task(**changes: object) -> TaskState:
    base = TaskState(
        task_id=T_UUID,
        creator="u1",
        function_id=ExternalID("function", F_UUID),
        function_arguments={"b": 1, "a": "x", "c": [1.5, None, {"d": True}]},
        executor=Executor.MESAPY,
        inputs_ownership={"in": frozenset({"u1", "u2"})},
        outputs_ownership={"out": frozenset({"u1"})},
        function_owner="alice",
        participants=frozenset({"u1", "u2", "alice"}),
        approved_users=frozenset({"u2"}),
        assigned_inputs={"in": input_file()},
        assigned_outputs={},
        result=NOT_READY,
        status=TaskStatus.Created,
    )
    return TaskState(**(base.__dict__ | changes))


TASK_JSON = {
    "task_id": str(T_UUID),
    "creator": "u1",
    "function_id": {"prefix": "function", "uuid": str(F_UUID)},
    "function_arguments": {"inner": {"a": "x", "b": 1, "c": [1.5, None, {"d": True}]}},
    "executor": "MesaPy",
    "inputs_ownership": {"inner": {"in": {"uids": ["u1", "u2"]}}},
    "outputs_ownership": {"inner": {"out": {"uids": ["u1"]}}},
    "function_owner": "alice",
    "participants": {"uids": ["alice", "u1", "u2"]},
    "approved_users": {"uids": ["u2"]},
    "assigned_inputs": {"inner": {"in": INPUT_JSON}},
    "assigned_outputs": {"inner": {}},
    "result": "NotReady",
    "status": "Created",
}


def test_function_golden() -> None:
    assert function().to_json() == FUNCTION_JSON
    assert Function.from_json(FUNCTION_JSON) == function()
    assert Function.from_bytes(function().to_bytes()) == function()


def test_function_quota_and_teahouse_disabled_flag() -> None:
    f = Function(**(function().__dict__ | {"usage_quota": 3, "disabled": True}))
    assert f.to_json()["usage_quota"] == 3  # type: ignore[index,call-overload]
    assert f.to_json()["disabled"] is True  # type: ignore[index,call-overload]
    assert Function.from_bytes(f.to_bytes()) == f
    assert "disabled" not in function().to_json()  # type: ignore[operator]


def test_function_usage_and_user_golden() -> None:
    usage = FunctionUsage(F_UUID, 7)
    assert usage.to_json() == {"function_id": str(F_UUID), "use_numbers": 7}
    assert usage.key == f"usage-{F_UUID}".encode()
    assert FunctionUsage.from_bytes(usage.to_bytes()) == usage
    user = UserFunctions("alice", (f"function-{F_UUID}",), ())
    assert user.to_json() == {
        "id": "alice",
        "registered_functions": [f"function-{F_UUID}"],
        "allowed_functions": [],
    }
    assert UserFunctions.from_bytes(user.to_bytes()) == user


def test_files_golden() -> None:
    assert input_file().to_json() == INPUT_JSON
    assert output_file().to_json() == OUTPUT_JSON
    written = output_file(CMAC)
    assert written.to_json()["cmac"] == {"tag": list(CMAC)}  # type: ignore[index,call-overload]
    assert InputFile.from_json(INPUT_JSON) == input_file()
    assert OutputFile.from_json(OUTPUT_JSON) == output_file()
    assert OutputFile.from_bytes(written.to_bytes()) == written
    assert input_file().key == f"input-{I_UUID}".encode()
    assert output_file().key == f"output-{O_UUID}".encode()


def test_raw_crypto_layout() -> None:
    raw = InputFile("data:,x", CMAC, FileCrypto(Schema.RAW), frozenset({"u"}), I_UUID)
    assert raw.to_json()["crypto_info"] == "Raw"  # type: ignore[index,call-overload]
    assert InputFile.from_bytes(raw.to_bytes()) == raw


def test_task_golden() -> None:
    assert task().to_json() == TASK_JSON
    assert TaskState.from_json(TASK_JSON) == task()
    assert TaskState.from_bytes(task().to_bytes()) == task()
    assert task().key == f"task-{T_UUID}".encode()


@pytest.mark.parametrize(
    ("result", "layout"),
    [
        (NOT_READY, "NotReady"),
        (TaskFailure("Task canceled"), {"Err": {"reason": "Task canceled"}}),
        (
            TaskOutputs(b"ok", {"out": CMAC}, ("[INFO teaclave_function::echo] hi",)),
            {
                "Ok": {
                    "return_value": [111, 107],
                    "tags_map": {"inner": {"out": {"tag": list(CMAC)}}},
                    "log": ["[INFO teaclave_function::echo] hi"],
                }
            },
        ),
    ],
)
def test_task_result_layouts(result: object, layout: object) -> None:
    t = task(result=result, status=TaskStatus.Finished)
    assert t.to_json()["result"] == layout  # type: ignore[index,call-overload]
    assert TaskState.from_bytes(t.to_bytes()) == t


def test_task_bytes_are_compact_utf8_json() -> None:
    t = task(creator="zoë")
    raw = t.to_bytes()
    assert "zoë".encode() in raw
    assert b": " not in raw and b", " not in raw
    assert json.loads(raw) == t.to_json()


def staged() -> StagedTask:
    return StagedTask(
        task_id=T_UUID,
        user_id="u1",
        function_id=F_UUID,
        function_name="builtin-echo",
        function_payload=b"\x01",
        function_arguments={"message": "hi"},
        executor=Executor.WAMR,
        executor_type=ExecutorType.WAMR,
        input_data={"in": StagedInput(INPUT_JSON["url"], CMAC, input_file().crypto_info)},  # type: ignore[arg-type]
        output_data={"out": StagedOutput("file:///tmp/out.enc", output_file().crypto_info)},
    )


def test_staged_task_golden() -> None:
    assert staged().to_json() == {
        "task_id": str(T_UUID),
        "user_id": "u1",
        "executor": "WAMicroRuntime",
        "executor_type": "WAMicroRuntime",
        "function_id": str(F_UUID),
        "function_name": "builtin-echo",
        "function_payload": [1],
        "function_arguments": {"inner": {"message": "hi"}},
        "input_data": {
            "inner": {
                "in": {
                    "url": "http://localhost:6789/a.enc",
                    "cmac": {"tag": list(CMAC)},
                    "crypto_info": {"AesGcm128": {"key": KEY, "iv": IV}},
                }
            }
        },
        "output_data": {
            "inner": {"out": {"url": "file:///tmp/out.enc", "crypto_info": {"TeaclaveFile128": {"key": KEY}}}}
        },
    }
    assert StagedTask.from_bytes(staged().to_bytes()) == staged()


def test_audit_entry_layout_and_ip_forms() -> None:
    entry = AuditEntry(
        1_700_000_000_000_000, entry_ip("10.0.0.7"), "{ user: admin, role: PlatformAdmin }", "x", True
    )
    assert entry.ip == bytes(12) + bytes([10, 0, 0, 7])
    assert entry.ip_text == "10.0.0.7"
    assert AuditEntry.from_bytes(entry.to_bytes()) == entry
    assert entry.to_json()["ip"] == [0] * 12 + [10, 0, 0, 7]  # type: ignore[index,call-overload]
    assert entry_ip(None) == bytes(16) and entry_ip("garbage") == bytes(16)
    assert entry_ip("::1") == bytes(15) + b"\x01"
    assert AuditEntry(0, entry_ip("2001:db8::1"), "", "", False).ip_text == "2001:db8::1"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.pop("status"),
        lambda d: d.update(status="Exploded"),
        lambda d: d.update(task_id="nope"),
        lambda d: d.update(result={"Maybe": {}}),
        lambda d: d["assigned_inputs"]["inner"]["in"].update(cmac={"tag": [1, 2]}),
        lambda d: d["assigned_inputs"]["inner"]["in"].update(crypto_info={"AesGcm128": {"key": [1]}}),
        lambda d: d.update(participants=["a"]),
    ],
)
def test_corrupt_records_are_internal_errors(mangle: object) -> None:
    data = json.loads(json.dumps(TASK_JSON))
    mangle(data)  # type: ignore[operator]
    with pytest.raises(CorruptRecord) as info:
        TaskState.from_bytes(json.dumps(data).encode())
    assert info.value.message == "service internal error"


def test_not_json_is_corrupt() -> None:
    with pytest.raises(CorruptRecord):
        TaskState.from_bytes(b"\xff{")
