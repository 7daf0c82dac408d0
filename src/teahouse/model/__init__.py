"""The shared record model of management, scheduler and execution.

Records are frozen dataclasses; each stored record encodes to and from Teaclave's serde JSON layout
(spec/wire.md §7.3 and §8.2) with ``to_json``/``from_json`` (JSON values) and ``to_bytes``/
``from_bytes`` (stored bytes), so that a legacy Teaclave service could read what Teahouse writes.
Storage keys and queue names are those of spec/wire.md §7.2.
"""

from teahouse.model._audit import AuditEntry, entry_ip
from teahouse.model._executor import ExecutorCommand, ExecutorStatus
from teahouse.model._files import InputFile, OutputFile
from teahouse.model._function import (
    ExecutorType,
    Function,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    FunctionUsage,
    UserFunctions,
)
from teahouse.model._ids import ExternalID, InvalidExternalID
from teahouse.model._json import CorruptRecord, JSONValue
from teahouse.model._keys import (
    CANCEL_QUEUE,
    FUNCTION_PREFIX,
    INPUT_PREFIX,
    OUTPUT_PREFIX,
    STAGED_PREFIX,
    STAGED_TASK_QUEUE,
    TASK_PREFIX,
    USAGE_PREFIX,
    USER_PREFIX,
    usage_key,
    user_key,
)
from teahouse.model._record import JSONRecord
from teahouse.model._staged import StagedInput, StagedOutput, StagedTask
from teahouse.model._task import (
    NOT_READY,
    Executor,
    NotReady,
    Ownership,
    TaskFailure,
    TaskOutputs,
    TaskResult,
    TaskState,
    TaskStatus,
    participants_of,
    task_result_from_json,
)

__all__ = [
    "CANCEL_QUEUE",
    "FUNCTION_PREFIX",
    "INPUT_PREFIX",
    "NOT_READY",
    "OUTPUT_PREFIX",
    "STAGED_PREFIX",
    "STAGED_TASK_QUEUE",
    "TASK_PREFIX",
    "USAGE_PREFIX",
    "USER_PREFIX",
    "AuditEntry",
    "CorruptRecord",
    "Executor",
    "ExecutorCommand",
    "ExecutorStatus",
    "ExecutorType",
    "ExternalID",
    "Function",
    "FunctionArgument",
    "FunctionInput",
    "FunctionOutput",
    "FunctionUsage",
    "InputFile",
    "InvalidExternalID",
    "JSONRecord",
    "JSONValue",
    "NotReady",
    "OutputFile",
    "Ownership",
    "StagedInput",
    "StagedOutput",
    "StagedTask",
    "TaskFailure",
    "TaskOutputs",
    "TaskResult",
    "TaskState",
    "TaskStatus",
    "UserFunctions",
    "entry_ip",
    "participants_of",
    "task_result_from_json",
    "usage_key",
    "user_key",
]
