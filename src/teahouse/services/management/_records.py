"""Typed loads and saves of management's records inside a transaction."""

from __future__ import annotations

from typing import Protocol, TypeVar

from teahouse.errors import TeahouseError
from teahouse.kv import Transaction
from teahouse.model import (
    FUNCTION_PREFIX,
    INPUT_PREFIX,
    OUTPUT_PREFIX,
    TASK_PREFIX,
    ExternalID,
    Function,
    FunctionUsage,
    InputFile,
    InvalidExternalID,
    JSONRecord,
    OutputFile,
    TaskState,
    UserFunctions,
    usage_key,
    user_key,
)
from teahouse.services.management.errors import (
    InvalidDataId,
    InvalidFunctionId,
    InvalidTaskId,
)

R = TypeVar("R", bound=JSONRecord)


class _Stored(Protocol):
    @property
    def key(self) -> bytes: ...

    def to_bytes(self) -> bytes: ...


async def load(txn: Transaction, key: bytes, cls: type[R]) -> R | None:
    raw = await txn.get(key)
    return None if raw is None else cls.from_bytes(raw)


def save(txn: Transaction, record: _Stored) -> None:
    txn.put(record.key, record.to_bytes())


async def _load_by_id(
    txn: Transaction, text: str, prefix: str, cls: type[R], error: type[TeahouseError]
) -> tuple[ExternalID, R]:
    try:
        eid = ExternalID.parse(text, prefix)
    except InvalidExternalID:
        raise error() from None
    record = await load(txn, eid.key, cls)
    if record is None:
        raise error()
    return eid, record


async def function_by_id(txn: Transaction, function_id: str) -> Function:
    """The function named by a request's ``function_id``, else :class:`InvalidFunctionId`."""
    return (await _load_by_id(txn, function_id, FUNCTION_PREFIX, Function, InvalidFunctionId))[1]


async def task_by_id(txn: Transaction, task_id: str) -> TaskState:
    return (await _load_by_id(txn, task_id, TASK_PREFIX, TaskState, InvalidTaskId))[1]


async def input_by_id(txn: Transaction, data_id: str) -> InputFile:
    return (await _load_by_id(txn, data_id, INPUT_PREFIX, InputFile, InvalidDataId))[1]


async def output_by_id(txn: Transaction, data_id: str) -> OutputFile:
    return (await _load_by_id(txn, data_id, OUTPUT_PREFIX, OutputFile, InvalidDataId))[1]


async def usage_of(txn: Transaction, function: Function) -> FunctionUsage | None:
    return await load(txn, usage_key(function.id), FunctionUsage)


async def user_functions(txn: Transaction, user_id: str) -> UserFunctions | None:
    return await load(txn, user_key(user_id), UserFunctions)
