from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NamedFile(_message.Message):
    __slots__ = ("name", "content")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    content: bytes
    def __init__(self, name: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class RunRequest(_message.Message):
    __slots__ = ("executor_type", "function_name", "payload", "function_arguments", "inputs", "outputs", "save_log")
    EXECUTOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    SAVE_LOG_FIELD_NUMBER: _ClassVar[int]
    executor_type: str
    function_name: str
    payload: bytes
    function_arguments: str
    inputs: _containers.RepeatedCompositeFieldContainer[NamedFile]
    outputs: _containers.RepeatedScalarFieldContainer[str]
    save_log: bool
    def __init__(self, executor_type: _Optional[str] = ..., function_name: _Optional[str] = ..., payload: _Optional[bytes] = ..., function_arguments: _Optional[str] = ..., inputs: _Optional[_Iterable[_Union[NamedFile, _Mapping]]] = ..., outputs: _Optional[_Iterable[str]] = ..., save_log: _Optional[bool] = ...) -> None: ...

class RunResponse(_message.Message):
    __slots__ = ("ok", "return_value", "outputs", "log", "failure_reason")
    OK_FIELD_NUMBER: _ClassVar[int]
    RETURN_VALUE_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    LOG_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    return_value: bytes
    outputs: _containers.RepeatedCompositeFieldContainer[NamedFile]
    log: _containers.RepeatedScalarFieldContainer[str]
    failure_reason: str
    def __init__(self, ok: _Optional[bool] = ..., return_value: _Optional[bytes] = ..., outputs: _Optional[_Iterable[_Union[NamedFile, _Mapping]]] = ..., log: _Optional[_Iterable[str]] = ..., failure_reason: _Optional[str] = ...) -> None: ...
