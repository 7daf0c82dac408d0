from __future__ import annotations

import uuid

import pytest

from teahouse.errors import InvalidArgument
from teahouse.model import (
    Executor,
    ExecutorType,
    ExternalID,
    TaskState,
    TaskStatus,
    participants_of,
)

from .test_json_layouts import input_file, output_file


def test_status_values_are_teaclaves() -> None:
    assert {s.name: s.value for s in TaskStatus} == {
        "Created": 0,
        "DataAssigned": 1,
        "Approved": 2,
        "Staged": 3,
        "Running": 4,
        "Finished": 10,
        "Canceled": 20,
        "Failed": 99,
    }
    assert {s for s in TaskStatus if s.ended} == {TaskStatus.Finished, TaskStatus.Canceled, TaskStatus.Failed}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("builtin", Executor.BUILTIN),
        ("mesapy", Executor.MESAPY),
        ("python", Executor.MESAPY),
        ("wamr", Executor.WAMR),
    ],
)
def test_executor_names(text: str, expected: Executor) -> None:
    assert Executor.parse(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("builtin", ExecutorType.BUILTIN),
        ("python", ExecutorType.PYTHON),
        ("mesapy", ExecutorType.PYTHON),
        ("wamr", ExecutorType.WAMR),
    ],
)
def test_executor_type_names(text: str, expected: ExecutorType) -> None:
    assert ExecutorType.parse(text) is expected
    assert ExecutorType.parse(expected.wire_name) is expected


@pytest.mark.parametrize("text", ["", "Builtin", "wasm", "MesaPy", "rust"])
def test_unknown_executor_names_are_invalid_arguments(text: str) -> None:
    with pytest.raises(InvalidArgument, match="executor: unknown value"):
        Executor.parse(text)
    with pytest.raises(InvalidArgument, match="executor_type: unknown value"):
        ExecutorType.parse(text)


def test_participants_include_the_owner_of_a_private_function_only() -> None:
    inputs = {"a": frozenset({"u1", "u2"})}
    outputs = {"b": frozenset({"u3"})}
    assert participants_of("c", "owner", True, inputs, outputs) == {"c", "u1", "u2", "u3"}
    assert participants_of("c", "owner", False, inputs, outputs) == {"c", "u1", "u2", "u3", "owner"}


def _task(**kw: object) -> TaskState:
    base: dict[str, object] = {
        "task_id": uuid.uuid4(),
        "creator": "u1",
        "function_id": ExternalID.new("function"),
        "function_arguments": {},
        "executor": Executor.BUILTIN,
        "inputs_ownership": {"in": frozenset({"u1"})},
        "outputs_ownership": {"out": frozenset({"u2"})},
        "function_owner": "u1",
        "participants": frozenset({"u1", "u2"}),
    }
    return TaskState(**(base | kw))  # type: ignore[arg-type]


def test_everyone_approved() -> None:
    assert not _task().everyone_approved
    assert not _task(approved_users=frozenset({"u1"})).everyone_approved
    assert _task(approved_users=frozenset({"u1", "u2"})).everyone_approved
    assert _task(participants=frozenset({"u1"})).everyone_approved  # one participant needs no approval


def test_all_data_assigned_compares_names_of_both_sides() -> None:
    assert not _task().all_data_assigned
    assert not _task(assigned_inputs={"in": input_file()}).all_data_assigned
    assert _task(
        assigned_inputs={"in": input_file()}, assigned_outputs={"out": output_file()}
    ).all_data_assigned
    assert _task(inputs_ownership={}, outputs_ownership={}).all_data_assigned


def test_ended() -> None:
    assert not _task().ended
    assert _task(status=TaskStatus.Canceled).ended
