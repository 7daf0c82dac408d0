"""The blocking twin of :class:`AsyncFrontendClient`."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.fileagent import FileAgent
from teahouse.sdk._connection import Address, SyncClientBase
from teahouse.sdk._convert import DataAssignment, Ownership
from teahouse.sdk._files import Source
from teahouse.sdk._frontend_async import AsyncFrontendClient
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
from teahouse.sdk._waiting import Progress, TaskWaiter, result_value


class FrontendClient(SyncClientBase):
    """The frontend service, attested as ``frontend``; every call carries ``credentials``.

    Each method blocks until its call on the client's private event loop is done; several
    threads may share one client.
    """

    _async: AsyncFrontendClient

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
        super().__init__(
            AsyncFrontendClient(
                address,
                trust,
                credentials,
                timeout=timeout,
                connect_timeout=connect_timeout,
                file_agent=file_agent,
            )
        )

    @property
    def credentials(self) -> Credentials:
        return self._async.credentials

    @credentials.setter
    def credentials(self, value: Credentials) -> None:
        self._async.credentials = value

    # Functions

    def register_function(
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
        """Register a function (``executor_type`` builtin, python or wamr); return its id."""
        return self._run(
            self._async.register_function(
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

    def update_function(
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
        return self._run(
            self._async.update_function(
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

    def get_function(self, function_id: str) -> Function:
        return self._run(self._async.get_function(function_id))

    def get_function_usage_stats(self, function_id: str) -> FunctionUsageStats:
        return self._run(self._async.get_function_usage_stats(function_id))

    def list_functions(self, user_id: str | None = None) -> FunctionLists:
        """The functions ``user_id`` (by default the caller) registered and may use."""
        return self._run(self._async.list_functions(user_id))

    def delete_function(self, function_id: str) -> None:
        self._run(self._async.delete_function(function_id))

    def disable_function(self, function_id: str) -> None:
        self._run(self._async.disable_function(function_id))

    # Data files

    def register_input_file(self, url: str, crypto: FileCrypto, cmac: bytes) -> str:
        return self._run(self._async.register_input_file(url, crypto, cmac))

    def register_output_file(self, url: str, crypto: FileCrypto) -> str:
        return self._run(self._async.register_output_file(url, crypto))

    def update_input_file(self, data_id: str, url: str) -> str:
        return self._run(self._async.update_input_file(data_id, url))

    def update_output_file(self, data_id: str, url: str) -> str:
        return self._run(self._async.update_output_file(data_id, url))

    def register_fusion_output(self, owners: Sequence[str]) -> str:
        return self._run(self._async.register_fusion_output(owners))

    def register_input_from_output(self, data_id: str) -> str:
        return self._run(self._async.register_input_from_output(data_id))

    def get_input_file(self, data_id: str) -> FileInfo:
        return self._run(self._async.get_input_file(data_id))

    def get_output_file(self, data_id: str) -> FileInfo:
        return self._run(self._async.get_output_file(data_id))

    def upload_input(
        self,
        source: Source,
        destination: str | os.PathLike[str],
        *,
        schema: str | Schema = Schema.TEACLAVE_FILE_128,
        key: bytes | None = None,
    ) -> UploadedInput:
        """Encrypt ``source`` (a path or the bytes), store it at ``destination`` and register it."""
        return self._run(self._async.upload_input(source, destination, schema=schema, key=key))

    def fetch_output(
        self, task: Task | str, output_name: str, location: str | os.PathLike[str], crypto: FileCrypto
    ) -> bytes:
        """Download the output ``output_name`` of an ended task from ``location`` and decrypt it."""
        return self._run(self._async.fetch_output(task, output_name, location, crypto))

    # Tasks

    def create_task(
        self,
        function_id: str,
        arguments: Mapping[str, Any],
        executor: str,
        inputs_ownership: Ownership = (),
        outputs_ownership: Ownership = (),
    ) -> str:
        """Create a task; ``arguments`` travel as a JSON object, ownership as ``OwnerList``s or a dict."""
        return self._run(
            self._async.create_task(function_id, arguments, executor, inputs_ownership, outputs_ownership)
        )

    def assign_data(self, task_id: str, inputs: DataAssignment = (), outputs: DataAssignment = ()) -> None:
        """Bind registered files to the task's data names (``DataMap``s or a dict name -> id)."""
        self._run(self._async.assign_data(task_id, inputs, outputs))

    def approve_task(self, task_id: str) -> None:
        self._run(self._async.approve_task(task_id))

    def invoke_task(self, task_id: str) -> None:
        self._run(self._async.invoke_task(task_id))

    def cancel_task(self, task_id: str) -> None:
        self._run(self._async.cancel_task(task_id))

    def get_task(self, task_id: str) -> Task:
        return self._run(self._async.get_task(task_id))

    def wait_task(
        self,
        task_id: str,
        *,
        timeout: float | None = None,
        poll: float = 0.2,
        progress: Progress | None = None,
    ) -> Task:
        """Poll until the task ends and return it; ``progress`` runs in the calling thread.

        Raises ``TaskCanceled`` or ``TaskFailed`` unless the run succeeded, and ``TimeoutError``
        after ``timeout`` seconds.
        """
        waiter = TaskWaiter(task_id, timeout=timeout, poll=poll, progress=progress)
        while True:
            task = self.get_task(task_id)
            if waiter.done(task):
                return task
            time.sleep(waiter.delay())

    def get_task_result(self, task_id: str, timeout: float | None = None) -> bytes:
        """Wait for the task and return its function's return value (as Teaclave's SDK does)."""
        return result_value(self.wait_task(task_id, timeout=timeout))

    # Audit

    def query_audit_logs(self, query: str, limit: int = 100) -> list[AuditEntry]:
        """Audit entries matching ``query`` (full-text syntax), newest first (PlatformAdmin only)."""
        return self._run(self._async.query_audit_logs(query, limit))
