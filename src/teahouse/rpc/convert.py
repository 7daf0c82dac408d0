"""Mechanical conversion between protobuf messages and the plain dataclasses of domain code.

Domain request/response dataclasses mirror their proto messages field for field (same names);
these two functions walk the dataclass's type hints and copy values across, so RPC handlers stay
a line each. Special cases are Teaclave's: a ``TaskResult`` (oneof ``Ok``/``Err``, "not ready"
when neither is set), enums as their numbers, and optional sub-messages.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from google.protobuf.message import Message

from teahouse.model import NOT_READY, NotReady, TaskFailure, TaskOutputs


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_task_result(tp: Any) -> bool:
    args = set(typing.get_args(tp))
    return {NotReady, TaskOutputs, TaskFailure} <= args


def _optional_inner(tp: Any) -> Any | None:
    """``X`` for ``X | None``; ``None`` otherwise."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def from_proto(message: Message, cls: type[Any]) -> Any:
    """Build the dataclass ``cls`` from ``message``."""
    hints = _hints(cls)  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        values[field.name] = _value_in(message, field.name, hints[field.name])
    return cls(**values)


def _value_in(message: Message, name: str, tp: Any) -> Any:
    raw = getattr(message, name)
    if _is_task_result(tp):
        return task_result_from_proto(raw) if message.HasField(name) else NOT_READY
    inner = _optional_inner(tp)
    if inner is not None:
        return _convert_in(raw, inner) if message.HasField(name) else None
    return _convert_in(raw, tp)


def _convert_in(raw: Any, tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (list, tuple, frozenset, set):
        (item,) = typing.get_args(tp)[:1]
        items = [_convert_in(v, item) for v in raw]
        return items if origin is list else origin(items)
    if origin in (dict, Mapping) or tp is dict:
        return dict(raw)
    if dataclasses.is_dataclass(tp):
        return from_proto(raw, tp)  # type: ignore[arg-type]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(raw)
    return raw


def to_proto(value: Any, message_cls: type[Message]) -> Message:
    """Build a ``message_cls`` from the dataclass ``value`` (``None`` gives an empty message)."""
    message = message_cls()
    if value is not None:
        fill(message, value)
    return message


def fill(message: Message, value: Any) -> None:
    hints = _hints(type(value))  # type: ignore[arg-type]
    for field in dataclasses.fields(value):
        if field.name not in message.DESCRIPTOR.fields_by_name:
            continue
        item = getattr(value, field.name)
        tp = hints[field.name]
        if _is_task_result(tp):
            task_result_to_proto(item, getattr(message, field.name))
            continue
        if item is None:
            continue
        _assign(message, field.name, item)


def _assign(message: Message, name: str, item: Any) -> None:
    descriptor = message.DESCRIPTOR.fields_by_name[name]
    target = getattr(message, name)
    if descriptor.message_type is not None and descriptor.message_type.GetOptions().map_entry:
        target.update(item)
    elif descriptor.is_repeated:
        if descriptor.message_type is not None:
            for element in item:
                fill(target.add(), element)
        else:
            target.extend(e.value if isinstance(e, enum.Enum) else e for e in item)
    elif descriptor.message_type is not None:
        target.SetInParent()
        fill(target, item)
    elif isinstance(item, enum.Enum):
        setattr(message, name, int(item.value) if isinstance(item.value, int) else item.value)
    else:
        setattr(message, name, item)


def task_result_from_proto(message: Any) -> NotReady | TaskOutputs | TaskFailure:
    which = message.WhichOneof("result")
    if which == "Ok":
        ok = message.Ok
        return TaskOutputs(return_value=ok.return_value, tags_map=dict(ok.tags_map), log=tuple(ok.log))
    if which == "Err":
        return TaskFailure(message.Err.reason)
    return NOT_READY


def task_result_to_proto(result: Any, message: Any) -> None:
    """Teaclave always sends ``result``; "not ready" is a TaskResult with no member set."""
    message.SetInParent()
    if isinstance(result, TaskOutputs):
        message.Ok.SetInParent()
        message.Ok.return_value = result.return_value
        message.Ok.tags_map.update(result.tags_map)
        message.Ok.log.extend(result.log)
    elif isinstance(result, TaskFailure):
        message.Err.reason = result.reason
