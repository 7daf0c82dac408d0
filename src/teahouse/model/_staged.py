"""StagedTask: what InvokeTask hands to the scheduler and an executor runs (spec/wire.md §8.2)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

from teahouse.crypto.files import FileCrypto
from teahouse.model._files import cmac_from_json, cmac_to_json, crypto_from_json
from teahouse.model._function import ExecutorType
from teahouse.model._json import (
    JSONValue,
    as_enum,
    as_object,
    as_str,
    as_uuid,
    bytes_from_json,
    bytes_to_json,
    inner,
)
from teahouse.model._json import field as get
from teahouse.model._record import JSONRecord
from teahouse.model._task import Executor


@dataclass(frozen=True)
class StagedInput:
    """Where to fetch one input, its expected cmac and how to decrypt it."""

    url: str
    cmac: bytes
    crypto_info: FileCrypto

    def to_json(self) -> JSONValue:
        return {"url": self.url, "cmac": cmac_to_json(self.cmac), "crypto_info": self.crypto_info.to_json()}

    @classmethod
    def from_json(cls, value: JSONValue) -> StagedInput:
        w = "FunctionInputFile"
        obj = as_object(value, w)
        return cls(
            as_str(get(obj, "url", w), f"{w}.url"),
            cmac_from_json(get(obj, "cmac", w), f"{w}.cmac"),
            crypto_from_json(get(obj, "crypto_info", w), f"{w}.crypto_info"),
        )


@dataclass(frozen=True)
class StagedOutput:
    """Where to upload one output and how to encrypt it."""

    url: str
    crypto_info: FileCrypto

    def to_json(self) -> JSONValue:
        return {"url": self.url, "crypto_info": self.crypto_info.to_json()}

    @classmethod
    def from_json(cls, value: JSONValue) -> StagedOutput:
        w = "FunctionOutputFile"
        obj = as_object(value, w)
        return cls(
            as_str(get(obj, "url", w), f"{w}.url"),
            crypto_from_json(get(obj, "crypto_info", w), f"{w}.crypto_info"),
        )


@dataclass(frozen=True)
class StagedTask(JSONRecord):
    """A task ready to run: the function as it was at invoke time, the arguments fixed at create time."""

    task_id: uuid.UUID
    user_id: str
    function_id: uuid.UUID
    function_name: str
    function_payload: bytes
    function_arguments: Mapping[str, JSONValue]
    executor: Executor
    executor_type: ExecutorType
    input_data: Mapping[str, StagedInput] = field(default_factory=dict)
    output_data: Mapping[str, StagedOutput] = field(default_factory=dict)

    def to_json(self) -> JSONValue:
        return {
            "task_id": str(self.task_id),
            "user_id": self.user_id,
            "executor": self.executor.value,
            "executor_type": self.executor_type.value,
            "function_id": str(self.function_id),
            "function_name": self.function_name,
            "function_payload": bytes_to_json(self.function_payload),
            "function_arguments": {"inner": dict(sorted(self.function_arguments.items()))},
            "input_data": {"inner": {n: f.to_json() for n, f in sorted(self.input_data.items())}},
            "output_data": {"inner": {n: f.to_json() for n, f in sorted(self.output_data.items())}},
        }

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "StagedTask"
        obj = as_object(value, w)
        return cls(
            task_id=as_uuid(get(obj, "task_id", w), f"{w}.task_id"),
            user_id=as_str(get(obj, "user_id", w), f"{w}.user_id"),
            function_id=as_uuid(get(obj, "function_id", w), f"{w}.function_id"),
            function_name=as_str(get(obj, "function_name", w), f"{w}.function_name"),
            function_payload=bytes_from_json(get(obj, "function_payload", w), f"{w}.function_payload"),
            function_arguments=dict(inner(get(obj, "function_arguments", w), f"{w}.function_arguments")),
            executor=as_enum(Executor, get(obj, "executor", w), f"{w}.executor"),
            executor_type=as_enum(ExecutorType, get(obj, "executor_type", w), f"{w}.executor_type"),
            input_data={
                n: StagedInput.from_json(f)
                for n, f in inner(get(obj, "input_data", w), f"{w}.input_data").items()
            },
            output_data={
                n: StagedOutput.from_json(f)
                for n, f in inner(get(obj, "output_data", w), f"{w}.output_data").items()
            },
        )
