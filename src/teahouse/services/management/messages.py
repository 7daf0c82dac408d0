"""Plain request and response values of the management RPCs (spec/wire.md §1.3, §1.4).

Each mirrors the proto message of the same name field for field, so the RPC handler is a mechanical
mapping; RPCs answering ``google.protobuf.Empty`` return ``None``. Function argument, input and output
declarations use the model's :class:`~teahouse.model.FunctionArgument`, ``FunctionInput`` and
``FunctionOutput``; a task result is a :data:`~teahouse.model.TaskResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teahouse.model import (
    NOT_READY,
    AuditEntry,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    TaskResult,
    TaskStatus,
)


@dataclass(frozen=True)
class FileCryptoInfo:
    schema: str
    key: bytes = b""
    iv: bytes = b""


@dataclass(frozen=True)
class OwnerList:
    data_name: str
    uids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DataMap:
    data_name: str
    data_id: str


# Files


@dataclass(frozen=True)
class RegisterInputFileRequest:
    url: str
    cmac: bytes
    crypto_info: FileCryptoInfo | None


@dataclass(frozen=True)
class RegisterOutputFileRequest:
    url: str
    crypto_info: FileCryptoInfo | None


@dataclass(frozen=True)
class UpdateFileRequest:
    """UpdateInputFileRequest / UpdateOutputFileRequest."""

    data_id: str
    url: str


@dataclass(frozen=True)
class RegisterFusionOutputRequest:
    owner_list: list[str]


@dataclass(frozen=True)
class DataIdRequest:
    """RegisterInputFromOutput, GetInputFile and GetOutputFile requests."""

    data_id: str


@dataclass(frozen=True)
class DataIdResponse:
    """Response of every file registration and update: the (new) file's id."""

    data_id: str


@dataclass(frozen=True)
class GetFileResponse:
    """GetInputFileResponse / GetOutputFileResponse: owners (sorted) and cmac (empty when none)."""

    owner: list[str]
    cmac: bytes


# Functions


@dataclass(frozen=True)
class RegisterFunctionRequest:
    name: str
    description: str = ""
    executor_type: str = "builtin"
    public: bool = True
    payload: bytes = b""
    arguments: list[FunctionArgument] = field(default_factory=list)
    inputs: list[FunctionInput] = field(default_factory=list)
    outputs: list[FunctionOutput] = field(default_factory=list)
    user_allowlist: list[str] = field(default_factory=list)
    usage_quota: int = -1


@dataclass(frozen=True)
class UpdateFunctionRequest:
    function_id: str
    name: str
    description: str = ""
    executor_type: str = "builtin"
    public: bool = True
    payload: bytes = b""
    arguments: list[FunctionArgument] = field(default_factory=list)
    inputs: list[FunctionInput] = field(default_factory=list)
    outputs: list[FunctionOutput] = field(default_factory=list)
    user_allowlist: list[str] = field(default_factory=list)
    usage_quota: int = -1


@dataclass(frozen=True)
class FunctionIdRequest:
    """GetFunction, GetFunctionUsageStats, DeleteFunction and DisableFunction requests."""

    function_id: str


@dataclass(frozen=True)
class FunctionIdResponse:
    """RegisterFunctionResponse / UpdateFunctionResponse."""

    function_id: str


@dataclass(frozen=True)
class GetFunctionResponse:
    name: str
    description: str
    executor_type: str
    owner: str
    payload: bytes
    public: bool
    arguments: list[FunctionArgument]
    inputs: list[FunctionInput]
    outputs: list[FunctionOutput]
    user_allowlist: list[str]


@dataclass(frozen=True)
class GetFunctionUsageStatsResponse:
    function_quota: int
    current_usage: int


@dataclass(frozen=True)
class ListFunctionsRequest:
    user_id: str


@dataclass(frozen=True)
class ListFunctionsResponse:
    registered_functions: list[str]
    allowed_functions: list[str]


# Tasks


@dataclass(frozen=True)
class CreateTaskRequest:
    function_id: str
    function_arguments: str = "{}"
    executor: str = "builtin"
    inputs_ownership: list[OwnerList] = field(default_factory=list)
    outputs_ownership: list[OwnerList] = field(default_factory=list)


@dataclass(frozen=True)
class TaskIdRequest:
    """GetTask, ApproveTask, InvokeTask and CancelTask requests."""

    task_id: str


@dataclass(frozen=True)
class CreateTaskResponse:
    task_id: str


@dataclass(frozen=True)
class GetTaskResponse:
    """Set-valued fields are sorted; ``function_arguments`` is compact JSON with sorted keys."""

    task_id: str
    creator: str
    function_id: str
    function_owner: str
    function_arguments: str
    inputs_ownership: list[OwnerList]
    outputs_ownership: list[OwnerList]
    participants: list[str]
    approved_users: list[str]
    assigned_inputs: list[DataMap]
    assigned_outputs: list[DataMap]
    status: TaskStatus
    result: TaskResult = NOT_READY


@dataclass(frozen=True)
class AssignDataRequest:
    task_id: str
    inputs: list[DataMap] = field(default_factory=list)
    outputs: list[DataMap] = field(default_factory=list)


# Audit


@dataclass(frozen=True)
class SaveLogsRequest:
    logs: list[AuditEntry]


@dataclass(frozen=True)
class QueryAuditLogsRequest:
    query: str
    limit: int


@dataclass(frozen=True)
class QueryAuditLogsResponse:
    logs: list[AuditEntry]
