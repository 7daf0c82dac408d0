"""Values the platform returns, as plain frozen dataclasses (never protobuf messages)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from teahouse.crypto.files import FileCrypto
from teahouse.model import TaskStatus
from teahouse.sdk._types import DataMap, FunctionArgument, FunctionInput, FunctionOutput, OwnerList

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class TaskResult:
    """The outcome of a run: ``ok`` with the return value, output tags and log, or the ``reason``."""

    ok: bool
    return_value: bytes = b""
    tags: Mapping[str, bytes] = field(default_factory=dict)
    log: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Task:
    task_id: str
    creator: str
    function_id: str
    function_owner: str
    function_arguments: Mapping[str, Any]
    inputs_ownership: tuple[OwnerList, ...]
    outputs_ownership: tuple[OwnerList, ...]
    participants: frozenset[str]
    approved_users: frozenset[str]
    assigned_inputs: tuple[DataMap, ...]
    assigned_outputs: tuple[DataMap, ...]
    status: TaskStatus
    #: ``None`` until the task has ended.
    result: TaskResult | None = None

    @property
    def ended(self) -> bool:
        """Finished, Canceled or Failed: the status will not change any more."""
        return self.status.ended


@dataclass(frozen=True)
class Function:
    function_id: str
    name: str
    description: str
    executor_type: str
    owner: str
    payload: bytes
    public: bool
    arguments: tuple[FunctionArgument, ...]
    inputs: tuple[FunctionInput, ...]
    outputs: tuple[FunctionOutput, ...]
    user_allowlist: tuple[str, ...]


@dataclass(frozen=True)
class FunctionUsageStats:
    #: ``-1`` means unlimited, as on the wire.
    function_quota: int
    current_usage: int

    @property
    def unlimited(self) -> bool:
        return self.function_quota < 0


@dataclass(frozen=True)
class FunctionLists:
    registered_functions: tuple[str, ...]
    allowed_functions: tuple[str, ...]


@dataclass(frozen=True)
class FileInfo:
    """Owners and cmac of a registered file; an output's cmac is ``None`` until it is written."""

    data_id: str
    owners: frozenset[str]
    cmac: bytes | None


@dataclass(frozen=True)
class AuditEntry:
    time: datetime
    ip: IPAddress
    user: str
    message: str
    result: bool


@dataclass(frozen=True)
class UploadedInput:
    """What :meth:`upload_input` did: the registered ``data_id``, where the file is, its key and cmac."""

    data_id: str
    url: str
    crypto: FileCrypto
    cmac: bytes
