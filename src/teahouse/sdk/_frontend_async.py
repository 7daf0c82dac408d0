"""The async client of the frontend API (port 7777): functions, data files, tasks, audit logs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from grpclib.client import Channel

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.fileagent import FileAgent, FileAgentConfig
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendStub
from teahouse.sdk import _frontend_calls as calls
from teahouse.sdk._call import Call
from teahouse.sdk._connection import Address, AsyncClientBase
from teahouse.sdk._convert import DataAssignment, Ownership
from teahouse.sdk._files import Source, as_url, download_and_decrypt, encrypt_and_upload, new_crypto
from teahouse.sdk._results import (
    AuditEntry,
    FileInfo,
    Function,
    FunctionLists,
    FunctionUsageStats,
    Task,
    UploadedInput,
)
from teahouse.sdk._trust import Trust
from teahouse.sdk._types import Credentials, FunctionArgument, FunctionInput, FunctionOutput
from teahouse.sdk._waiting import Progress, TaskWaiter, output_tag, result_value

T = TypeVar("T")


class AsyncFrontendClient(AsyncClientBase):
    """The frontend service, attested as ``frontend``; every call carries ``credentials``."""

    _service = "frontend"

    def __init__(
        self,
        address: Address,
        trust: Trust,
        credentials: Credentials,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        file_agent: FileAgent | None = None,
    ) -> None:
        super().__init__(address, trust, timeout=timeout, connect_timeout=connect_timeout)
        self.credentials = credentials
        # A client reaches its own machine's files: file:// URLs anywhere the user can.
        self._agent = file_agent or FileAgent(FileAgentConfig(file_roots=(Path("/"),)))

    def _make_stub(self, channel: Channel) -> TeaclaveFrontendStub:
        return TeaclaveFrontendStub(channel)

    def _describe(self) -> str:
        return f"{self.address!r}, user={self.credentials.id!r}"

    async def _call(self, call: Call[T]) -> T:
        return await self._perform(call, self.credentials)

    # Functions

    async def register_function(
        self,
        name: str,
        description: str,
        executor_type: str,
        *,
        public: bool = True,
        payload: bytes = b"",
        arguments: Sequence[FunctionArgument] = (),
        inputs: Sequence[FunctionInput] = (),
        outputs: Sequence[FunctionOutput] = (),
        user_allowlist: Sequence[str] = (),
        usage_quota: int | None = -1,
    ) -> str:
        """Register a function (``executor_type`` builtin, python or wamr); return its id.

        ``usage_quota`` -1 (or ``None``) means unlimited.
        """
        return await self._call(
            calls.register_function(
                name,
                description,
                executor_type,
                public=public,
                payload=payload,
                arguments=arguments,
                inputs=inputs,
                outputs=outputs,
                user_allowlist=user_allowlist,
                usage_quota=usage_quota,
            )
        )

    async def update_function(
        self,
        function_id: str,
        name: str,
        description: str,
        executor_type: str,
        *,
        public: bool = True,
        payload: bytes = b"",
        arguments: Sequence[FunctionArgument] = (),
        inputs: Sequence[FunctionInput] = (),
        outputs: Sequence[FunctionOutput] = (),
        user_allowlist: Sequence[str] = (),
        usage_quota: int | None = -1,
    ) -> str:
        """Replace a function wholesale (owner only); return its id."""
        return await self._call(
            calls.update_function(
                function_id,
                name,
                description,
                executor_type,
                public=public,
                payload=payload,
                arguments=arguments,
                inputs=inputs,
                outputs=outputs,
                user_allowlist=user_allowlist,
                usage_quota=usage_quota,
            )
        )

    async def get_function(self, function_id: str) -> Function:
        return await self._call(calls.get_function(function_id))

    async def get_function_usage_stats(self, function_id: str) -> FunctionUsageStats:
        return await self._call(calls.get_function_usage_stats(function_id))

    async def list_functions(self, user_id: str | None = None) -> FunctionLists:
        """The functions ``user_id`` (by default the caller) registered and may use."""
        return await self._call(calls.list_functions(self.credentials.id if user_id is None else user_id))

    async def delete_function(self, function_id: str) -> None:
        await self._call(calls.delete_function(function_id))

    async def disable_function(self, function_id: str) -> None:
        await self._call(calls.disable_function(function_id))

    # Data files

    async def register_input_file(self, url: str, crypto: FileCrypto, cmac: bytes) -> str:
        return await self._call(calls.register_input_file(url, crypto, cmac))

    async def register_output_file(self, url: str, crypto: FileCrypto) -> str:
        return await self._call(calls.register_output_file(url, crypto))

    async def update_input_file(self, data_id: str, url: str) -> str:
        """Register the input at a new URL; returns the new data id (the old one stays)."""
        return await self._call(calls.update_input_file(data_id, url))

    async def update_output_file(self, data_id: str, url: str) -> str:
        """Register the output at a new URL; returns the new data id (the old one stays)."""
        return await self._call(calls.update_output_file(data_id, url))

    async def register_fusion_output(self, owners: Sequence[str]) -> str:
        return await self._call(calls.register_fusion_output(owners))

    async def register_input_from_output(self, data_id: str) -> str:
        return await self._call(calls.register_input_from_output(data_id))

    async def get_input_file(self, data_id: str) -> FileInfo:
        return await self._call(calls.get_input_file(data_id))

    async def get_output_file(self, data_id: str) -> FileInfo:
        return await self._call(calls.get_output_file(data_id))

    async def upload_input(
        self,
        source: Source,
        destination: str | os.PathLike[str],
        *,
        schema: str | Schema = Schema.TEACLAVE_FILE_128,
        key: bytes | None = None,
    ) -> UploadedInput:
        """Encrypt ``source`` (a path or the bytes), store it at ``destination`` and register it.

        ``destination`` is a ``file://`` or ``http(s)://`` URL, or a local path; it must be
        reachable by the platform's execution service, and is never overwritten. The key is
        random unless given. Transfer failures raise ``teahouse.fileagent.FileAgentError``.
        """
        url = as_url(destination)
        crypto = new_crypto(schema, key)
        cmac = await encrypt_and_upload(self._agent, source, url, crypto)
        data_id = await self.register_input_file(url, crypto, cmac)
        return UploadedInput(data_id=data_id, url=url, crypto=crypto, cmac=cmac)

    async def fetch_output(
        self, task: Task | str, output_name: str, location: str | os.PathLike[str], crypto: FileCrypto
    ) -> bytes:
        """Download the output ``output_name`` of an ended task from ``location`` and decrypt it.

        The file must carry the tag the platform recorded for it in the task's result; otherwise
        a ``teahouse.crypto.files.FileCryptoError`` is raised and no plaintext is returned.
        """
        if isinstance(task, str):
            task = await self.get_task(task)
        tag = output_tag(task, output_name)
        return await download_and_decrypt(self._agent, as_url(location), crypto, tag)

    # Tasks

    async def create_task(
        self,
        function_id: str,
        arguments: Mapping[str, Any],
        executor: str,
        inputs_ownership: Ownership = (),
        outputs_ownership: Ownership = (),
    ) -> str:
        """Create a task; ``arguments`` travel as a JSON object, ownership as ``OwnerList``s or a dict."""
        return await self._call(
            calls.create_task(function_id, arguments, executor, inputs_ownership, outputs_ownership)
        )

    async def assign_data(
        self, task_id: str, inputs: DataAssignment = (), outputs: DataAssignment = ()
    ) -> None:
        """Bind registered files to the task's data names (``DataMap``s or a dict name -> id)."""
        await self._call(calls.assign_data(task_id, inputs, outputs))

    async def approve_task(self, task_id: str) -> None:
        await self._call(calls.approve_task(task_id))

    async def invoke_task(self, task_id: str) -> None:
        await self._call(calls.invoke_task(task_id))

    async def cancel_task(self, task_id: str) -> None:
        await self._call(calls.cancel_task(task_id))

    async def get_task(self, task_id: str) -> Task:
        return await self._call(calls.get_task(task_id))

    async def wait_task(
        self,
        task_id: str,
        *,
        timeout: float | None = None,
        poll: float = 0.2,
        progress: Progress | None = None,
    ) -> Task:
        """Poll until the task ends and return it.

        Raises ``TaskCanceled`` or ``TaskFailed`` (with the reason) unless the run succeeded, and
        ``TimeoutError`` after ``timeout`` seconds. ``progress`` is called with the task on every
        status change.
        """
        waiter = TaskWaiter(task_id, timeout=timeout, poll=poll, progress=progress)
        while True:
            task = await self.get_task(task_id)
            if waiter.done(task):
                return task
            await asyncio.sleep(waiter.delay())

    async def get_task_result(self, task_id: str, timeout: float | None = None) -> bytes:
        """Wait for the task and return its function's return value (as Teaclave's SDK does)."""
        return result_value(await self.wait_task(task_id, timeout=timeout))

    # Audit

    async def query_audit_logs(self, query: str, limit: int = 100) -> list[AuditEntry]:
        """Audit entries matching ``query`` (full-text syntax), newest first (PlatformAdmin only)."""
        return await self._call(calls.query_audit_logs(query, limit))
