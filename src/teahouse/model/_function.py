"""Functions, their usage counters and the per-user function lists (spec/behaviour.md §1.1)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Self

from teahouse.errors import InvalidArgument
from teahouse.model._ids import ExternalID
from teahouse.model._json import (
    JSONObject,
    JSONValue,
    as_bool,
    as_enum,
    as_int,
    as_list,
    as_object,
    as_str,
    as_str_list,
    as_uuid,
    bytes_from_json,
    bytes_to_json,
)
from teahouse.model._json import field as get
from teahouse.model._keys import FUNCTION_PREFIX, usage_key, user_key
from teahouse.model._record import JSONRecord


class ExecutorType(enum.Enum):
    """What kind of code a function is; the value is Teaclave's serde name."""

    BUILTIN = "Builtin"
    PYTHON = "Python"
    WAMR = "WAMicroRuntime"

    @property
    def wire_name(self) -> str:
        return _EXECUTOR_TYPE_WIRE[self]

    @classmethod
    def parse(cls, text: str) -> ExecutorType:
        """Parse the request string (``builtin``, ``python`` or its alias ``mesapy``, ``wamr``)."""
        try:
            return _EXECUTOR_TYPE_NAMES[text]
        except KeyError:
            raise InvalidArgument(
                f"executor_type: unknown value {text!r} (expected builtin, python or wamr)"
            ) from None


_EXECUTOR_TYPE_WIRE = {
    ExecutorType.BUILTIN: "builtin",
    ExecutorType.PYTHON: "python",
    ExecutorType.WAMR: "wamr",
}
_EXECUTOR_TYPE_NAMES = {v: k for k, v in _EXECUTOR_TYPE_WIRE.items()} | {"mesapy": ExecutorType.PYTHON}


@dataclass(frozen=True)
class FunctionArgument:
    key: str
    default_value: str = ""
    allow_overwrite: bool = True

    def to_json(self) -> JSONValue:
        return {"key": self.key, "default_value": self.default_value, "allow_overwrite": self.allow_overwrite}

    @classmethod
    def from_json(cls, value: JSONValue) -> FunctionArgument:
        obj = as_object(value, "FunctionArgument")
        return cls(
            as_str(get(obj, "key", "FunctionArgument"), "FunctionArgument.key"),
            as_str(get(obj, "default_value", "FunctionArgument"), "FunctionArgument.default_value"),
            as_bool(get(obj, "allow_overwrite", "FunctionArgument"), "FunctionArgument.allow_overwrite"),
        )


@dataclass(frozen=True)
class FunctionInput:
    name: str
    description: str = ""
    optional: bool = False

    def to_json(self) -> JSONValue:
        return {"name": self.name, "description": self.description, "optional": self.optional}

    @classmethod
    def from_json(cls, value: JSONValue) -> FunctionInput:
        obj = as_object(value, "FunctionInput")
        return cls(
            as_str(get(obj, "name", "FunctionInput"), "FunctionInput.name"),
            as_str(get(obj, "description", "FunctionInput"), "FunctionInput.description"),
            as_bool(get(obj, "optional", "FunctionInput"), "FunctionInput.optional"),
        )


@dataclass(frozen=True)
class FunctionOutput(FunctionInput):
    """Same shape as :class:`FunctionInput`."""


@dataclass(frozen=True)
class Function(JSONRecord):
    """A registered function (key ``function-<uuid>``).

    ``disabled`` is a Teahouse addition (JSON key written only when true, which serde readers
    ignore): Teaclave marks a disabled function only by emptying its allow-list.
    """

    id: uuid.UUID
    name: str
    description: str
    public: bool
    executor_type: ExecutorType
    payload: bytes
    arguments: tuple[FunctionArgument, ...]
    inputs: tuple[FunctionInput, ...]
    outputs: tuple[FunctionOutput, ...]
    owner: str
    user_allowlist: tuple[str, ...]
    usage_quota: int | None
    disabled: bool = False

    @property
    def external_id(self) -> ExternalID:
        return ExternalID(FUNCTION_PREFIX, self.id)

    @property
    def key(self) -> bytes:
        return self.external_id.key

    @property
    def usage_key(self) -> bytes:
        return usage_key(self.id)

    def to_json(self) -> JSONValue:
        obj: JSONObject = {
            "id": str(self.id),
            "name": self.name,
            "description": self.description,
            "public": self.public,
            "executor_type": self.executor_type.value,
            "payload": bytes_to_json(self.payload),
            "arguments": [a.to_json() for a in self.arguments],
            "inputs": [i.to_json() for i in self.inputs],
            "outputs": [o.to_json() for o in self.outputs],
            "owner": self.owner,
            "user_allowlist": list(self.user_allowlist),
            "usage_quota": self.usage_quota,
        }
        if self.disabled:
            obj["disabled"] = True
        return obj

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "Function"
        obj = as_object(value, w)
        quota = get(obj, "usage_quota", w)
        return cls(
            id=as_uuid(get(obj, "id", w), "Function.id"),
            name=as_str(get(obj, "name", w), "Function.name"),
            description=as_str(get(obj, "description", w), "Function.description"),
            public=as_bool(get(obj, "public", w), "Function.public"),
            executor_type=as_enum(ExecutorType, get(obj, "executor_type", w), "Function.executor_type"),
            payload=bytes_from_json(get(obj, "payload", w), "Function.payload"),
            arguments=tuple(FunctionArgument.from_json(a) for a in as_list(get(obj, "arguments", w), w)),
            inputs=tuple(FunctionInput.from_json(i) for i in as_list(get(obj, "inputs", w), w)),
            outputs=tuple(_output(o) for o in as_list(get(obj, "outputs", w), w)),
            owner=as_str(get(obj, "owner", w), "Function.owner"),
            user_allowlist=tuple(as_str_list(get(obj, "user_allowlist", w), "Function.user_allowlist")),
            usage_quota=None if quota is None else as_int(quota, "Function.usage_quota"),
            disabled=as_bool(obj.get("disabled", False), "Function.disabled"),
        )


def _output(value: JSONValue) -> FunctionOutput:
    i = FunctionInput.from_json(value)
    return FunctionOutput(i.name, i.description, i.optional)


@dataclass(frozen=True)
class FunctionUsage(JSONRecord):
    """How many times a function was invoked (key ``usage-<function uuid>``)."""

    function_id: uuid.UUID
    use_numbers: int = 0

    @property
    def key(self) -> bytes:
        return usage_key(self.function_id)

    def to_json(self) -> JSONValue:
        return {"function_id": str(self.function_id), "use_numbers": self.use_numbers}

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        obj = as_object(value, "FunctionUsage")
        return cls(
            as_uuid(get(obj, "function_id", "FunctionUsage"), "FunctionUsage.function_id"),
            as_int(get(obj, "use_numbers", "FunctionUsage"), "FunctionUsage.use_numbers"),
        )


@dataclass(frozen=True)
class UserFunctions(JSONRecord):
    """A user's function lists (key ``user-<uuid5(NAMESPACE_DNS, user id)>``); ids as text."""

    id: str
    registered_functions: tuple[str, ...] = field(default=())
    allowed_functions: tuple[str, ...] = field(default=())

    @property
    def key(self) -> bytes:
        return user_key(self.id)

    def to_json(self) -> JSONValue:
        return {
            "id": self.id,
            "registered_functions": list(self.registered_functions),
            "allowed_functions": list(self.allowed_functions),
        }

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "User"
        obj = as_object(value, w)
        return cls(
            as_str(get(obj, "id", w), "User.id"),
            tuple(as_str_list(get(obj, "registered_functions", w), "User.registered_functions")),
            tuple(as_str_list(get(obj, "allowed_functions", w), "User.allowed_functions")),
        )
