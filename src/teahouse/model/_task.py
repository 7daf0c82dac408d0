"""Tasks: status, result and the task record (spec/behaviour.md §1.3, spec/wire.md §7.3)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self, TypeAlias

from teahouse.errors import InvalidArgument
from teahouse.model._files import (
    InputFile,
    OutputFile,
    cmac_from_json,
    cmac_to_json,
    files_to_json,
    owners_from_json,
    owners_to_json,
)
from teahouse.model._ids import ExternalID
from teahouse.model._json import (
    CorruptRecord,
    JSONObject,
    JSONValue,
    as_enum,
    as_list,
    as_object,
    as_str,
    as_uuid,
    bytes_from_json,
    bytes_to_json,
    inner,
)
from teahouse.model._json import field as get
from teahouse.model._keys import TASK_PREFIX
from teahouse.model._record import JSONRecord


class Executor(enum.Enum):
    """Which runtime runs a task; the value is Teaclave's serde name."""

    BUILTIN = "Builtin"
    MESAPY = "MesaPy"
    WAMR = "WAMicroRuntime"

    @property
    def wire_name(self) -> str:
        return _EXECUTOR_WIRE[self]

    @classmethod
    def parse(cls, text: str) -> Executor:
        """Parse the request string (``builtin``, ``mesapy`` or its alias ``python``, ``wamr``)."""
        try:
            return _EXECUTOR_NAMES[text]
        except KeyError:
            raise InvalidArgument(
                f"executor: unknown value {text!r} (expected builtin, mesapy or wamr)"
            ) from None


_EXECUTOR_WIRE = {Executor.BUILTIN: "builtin", Executor.MESAPY: "mesapy", Executor.WAMR: "wamr"}
_EXECUTOR_NAMES = {v: k for k, v in _EXECUTOR_WIRE.items()} | {"python": Executor.MESAPY}


class TaskStatus(enum.IntEnum):
    """Teaclave's TaskStatus with its proto numbers; serde writes the name."""

    Created = 0
    DataAssigned = 1
    Approved = 2
    Staged = 3
    Running = 4
    Finished = 10
    Canceled = 20
    Failed = 99

    @property
    def ended(self) -> bool:
        return self in (TaskStatus.Finished, TaskStatus.Failed, TaskStatus.Canceled)


@dataclass(frozen=True)
class NotReady:
    """The task has no result yet."""

    def to_json(self) -> JSONValue:
        return "NotReady"


@dataclass(frozen=True)
class TaskOutputs:
    """A run's result: the function's return value, the cmac of each output and the captured log."""

    return_value: bytes
    tags_map: Mapping[str, bytes] = field(default_factory=dict)
    log: tuple[str, ...] = ()

    def to_json(self) -> JSONValue:
        tags = {name: cmac_to_json(tag) for name, tag in sorted(self.tags_map.items())}
        return {
            "Ok": {
                "return_value": bytes_to_json(self.return_value),
                "tags_map": {"inner": tags},
                "log": list(self.log),
            }
        }


@dataclass(frozen=True)
class TaskFailure:
    """Why a task did not produce outputs."""

    reason: str

    def to_json(self) -> JSONValue:
        return {"Err": {"reason": self.reason}}


TaskResult: TypeAlias = NotReady | TaskOutputs | TaskFailure
NOT_READY = NotReady()


def task_result_from_json(value: JSONValue) -> TaskResult:
    w = "TaskResult"
    if value == "NotReady":
        return NOT_READY
    obj = as_object(value, w)
    if set(obj) == {"Ok"}:
        ok = as_object(obj["Ok"], "TaskResult.Ok")
        tags = inner(get(ok, "tags_map", w), "TaskResult.Ok.tags_map")
        return TaskOutputs(
            return_value=bytes_from_json(get(ok, "return_value", w), "TaskResult.Ok.return_value"),
            tags_map={name: cmac_from_json(tag, "TaskResult.Ok.tags_map") for name, tag in tags.items()},
            log=tuple(as_str(line, "TaskResult.Ok.log") for line in as_list(get(ok, "log", w), w)),
        )
    if set(obj) == {"Err"}:
        err = as_object(obj["Err"], "TaskResult.Err")
        return TaskFailure(as_str(get(err, "reason", w), "TaskResult.Err.reason"))
    raise CorruptRecord("TaskResult: expected NotReady, Ok or Err")


Ownership: TypeAlias = Mapping[str, frozenset[str]]
"""Data name -> the exact set of users who must own the file assigned to it."""


def participants_of(
    creator: str,
    function_owner: str,
    function_public: bool,
    inputs_ownership: Ownership,
    outputs_ownership: Ownership,
) -> frozenset[str]:
    """Every owner of every declared datum, the creator, and the owner of a private function."""
    users = {creator}
    for owners in (*inputs_ownership.values(), *outputs_ownership.values()):
        users |= owners
    if not function_public:
        users.add(function_owner)
    return frozenset(users)


@dataclass(frozen=True)
class TaskState(JSONRecord):
    """A task record (key ``task-<uuid>``), written by management and by the scheduler."""

    task_id: uuid.UUID
    creator: str
    function_id: ExternalID
    function_arguments: Mapping[str, JSONValue]
    executor: Executor
    inputs_ownership: Ownership
    outputs_ownership: Ownership
    function_owner: str
    participants: frozenset[str]
    approved_users: frozenset[str] = frozenset()
    assigned_inputs: Mapping[str, InputFile] = field(default_factory=dict)
    assigned_outputs: Mapping[str, OutputFile] = field(default_factory=dict)
    result: TaskResult = NOT_READY
    status: TaskStatus = TaskStatus.Created

    @property
    def external_id(self) -> ExternalID:
        return ExternalID(TASK_PREFIX, self.task_id)

    @property
    def key(self) -> bytes:
        return self.external_id.key

    @property
    def everyone_approved(self) -> bool:
        """Single-participant tasks need no approval."""
        return len(self.participants) == 1 or self.approved_users == self.participants

    @property
    def all_data_assigned(self) -> bool:
        return set(self.assigned_inputs) == set(self.inputs_ownership) and set(self.assigned_outputs) == set(
            self.outputs_ownership
        )

    @property
    def ended(self) -> bool:
        return self.status.ended

    def to_json(self) -> JSONValue:
        obj: JSONObject = {
            "task_id": str(self.task_id),
            "creator": self.creator,
            "function_id": self.function_id.to_json(),
            "function_arguments": {"inner": dict(sorted(self.function_arguments.items()))},
            "executor": self.executor.value,
            "inputs_ownership": _ownership_to_json(self.inputs_ownership),
            "outputs_ownership": _ownership_to_json(self.outputs_ownership),
            "function_owner": self.function_owner,
            "participants": owners_to_json(self.participants),
            "approved_users": owners_to_json(self.approved_users),
            "assigned_inputs": files_to_json(self.assigned_inputs),
            "assigned_outputs": files_to_json(self.assigned_outputs),
            "result": self.result.to_json(),
            "status": self.status.name,
        }
        return obj

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "TaskState"
        obj = as_object(value, w)
        status_name = as_str(get(obj, "status", w), "TaskState.status")
        if status_name not in TaskStatus.__members__:
            raise CorruptRecord(f"TaskState.status: unknown value {status_name!r}")
        return cls(
            task_id=as_uuid(get(obj, "task_id", w), "TaskState.task_id"),
            creator=as_str(get(obj, "creator", w), "TaskState.creator"),
            function_id=ExternalID.from_json(get(obj, "function_id", w)),
            function_arguments=dict(inner(get(obj, "function_arguments", w), "TaskState.function_arguments")),
            executor=as_enum(Executor, get(obj, "executor", w), "TaskState.executor"),
            inputs_ownership=_ownership_from_json(
                get(obj, "inputs_ownership", w), "TaskState.inputs_ownership"
            ),
            outputs_ownership=_ownership_from_json(
                get(obj, "outputs_ownership", w), "TaskState.outputs_ownership"
            ),
            function_owner=as_str(get(obj, "function_owner", w), "TaskState.function_owner"),
            participants=owners_from_json(get(obj, "participants", w), "TaskState.participants"),
            approved_users=owners_from_json(get(obj, "approved_users", w), "TaskState.approved_users"),
            assigned_inputs={
                name: InputFile.from_json(f)
                for name, f in inner(get(obj, "assigned_inputs", w), "TaskState.assigned_inputs").items()
            },
            assigned_outputs={
                name: OutputFile.from_json(f)
                for name, f in inner(get(obj, "assigned_outputs", w), "TaskState.assigned_outputs").items()
            },
            result=task_result_from_json(get(obj, "result", w)),
            status=TaskStatus[status_name],
        )


def _ownership_to_json(ownership: Ownership) -> JSONValue:
    return {"inner": {name: owners_to_json(users) for name, users in sorted(ownership.items())}}


def _ownership_from_json(value: JSONValue, what: str) -> dict[str, frozenset[str]]:
    return {name: owners_from_json(users, what) for name, users in inner(value, what).items()}
