"""The Teahouse client SDK: attested clients of the authentication, frontend and storage services.

Every client verifies the server's RA-TLS evidence against a :class:`Trust` folder (written by
``teahouse trust export``) before it sends anything; verification cannot be turned off. Each
client comes as an async class (``async with``, ``aclose()``) and a blocking twin (``with``,
``close()``) that runs the async one on a private event loop::

    from teahouse.sdk import AuthenticationClient, FrontendClient, FunctionArgument, Trust

    trust = Trust.load("./trust")
    with AuthenticationClient("localhost:7776", trust) as auth:
        credentials = auth.login("admin", "teaclave")
    with FrontendClient("localhost:7777", trust, credentials) as frontend:
        function_id = frontend.register_function("builtin-echo", "echo", "builtin",
                                                 arguments=[FunctionArgument("message")])
        task_id = frontend.create_task(function_id, {"message": "hi"}, "builtin")
        frontend.invoke_task(task_id)
        print(frontend.get_task_result(task_id, timeout=60))

Errors derive from :class:`SdkError` (``status`` and ``message`` of the gRPC status); a refused
server raises :class:`AttestationFailedError` naming the failed check. A client of a simulated
platform says ``simulated`` in its ``repr`` and logs one warning when it first connects.
:func:`attest` verifies a server without calling it; :func:`read_report` shows its report unverified.
"""

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.model import TaskStatus
from teahouse.sdk._attest import ServerReport, attest, read_report
from teahouse.sdk._auth_client import AsyncAuthenticationClient, AuthenticationClient
from teahouse.sdk._channel import attested_channel
from teahouse.sdk._connection import SIMULATION_WARNING, Address
from teahouse.sdk._errors import (
    AttestationFailedError,
    AuthenticationError,
    DeadlineExceededError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RequestFailedError,
    SdkError,
    ServiceError,
    TaskCanceled,
    TaskFailed,
    TrustError,
    UnavailableError,
)
from teahouse.sdk._executor_client import AsyncExecutorClient, ExecutorClient, RunFailed, RunResult
from teahouse.sdk._frontend_async import AsyncFrontendClient
from teahouse.sdk._frontend_sync import FrontendClient
from teahouse.sdk._results import (
    AuditEntry,
    FileInfo,
    Function,
    FunctionLists,
    FunctionUsageStats,
    Task,
    TaskResult,
    UploadedInput,
)
from teahouse.sdk._storage_client import AsyncStorageKV, StorageKV
from teahouse.sdk._trust import PeerInfo, Trust
from teahouse.sdk._types import (
    Credentials,
    DataMap,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    OwnerList,
)

__all__ = [
    "SIMULATION_WARNING",
    "Address",
    "AsyncAuthenticationClient",
    "AsyncExecutorClient",
    "AsyncFrontendClient",
    "AsyncStorageKV",
    "AttestationFailedError",
    "AuditEntry",
    "AuthenticationClient",
    "AuthenticationError",
    "Credentials",
    "DataMap",
    "DeadlineExceededError",
    "ExecutorClient",
    "FailedPreconditionError",
    "FileCrypto",
    "FileInfo",
    "FrontendClient",
    "Function",
    "FunctionArgument",
    "FunctionInput",
    "FunctionLists",
    "FunctionOutput",
    "FunctionUsageStats",
    "InvalidArgumentError",
    "NotFoundError",
    "OwnerList",
    "PeerInfo",
    "PermissionDeniedError",
    "RequestFailedError",
    "RunFailed",
    "RunResult",
    "Schema",
    "SdkError",
    "ServerReport",
    "ServiceError",
    "StorageKV",
    "Task",
    "TaskCanceled",
    "TaskFailed",
    "TaskResult",
    "TaskStatus",
    "Trust",
    "TrustError",
    "UnavailableError",
    "UploadedInput",
    "attest",
    "attested_channel",
    "read_report",
]
