"""Restarting services loses nothing acknowledged: accounts, tokens, functions, files and tasks."""

from __future__ import annotations

import asyncio
import json

import pytest

from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.platform import LocalPlatform

from .wire import Metadata, Wire

pytestmark = pytest.mark.e2e

RESTARTED = ("storage", "authentication", "access_control", "management", "frontend")


async def test_every_service_restarts_without_losing_state(
    platform: LocalPlatform, wire: Wire, admin: Metadata
) -> None:
    user = await wire.new_user(admin, "PlatformAdmin", prefix="restart")
    function_id = (
        await wire.frontend.RegisterFunction(
            fe.RegisterFunctionRequest(
                name="builtin-echo", executor_type="builtin", public=True, usage_quota=5,
                arguments=[fe.FunctionArgument(key="message", allow_overwrite=True)],
            ),
            metadata=user,
        )
    ).function_id  # fmt: skip
    crypto = common.FileCryptoInfo(schema="aes-gcm-128", key=bytes(16), iv=bytes(12))
    data_id = (
        await wire.frontend.RegisterInputFile(
            fe.RegisterInputFileRequest(url="file:///tmp/x.enc", cmac=bytes(16), crypto_info=crypto),
            metadata=user,
        )
    ).data_id
    task_id = (
        await wire.frontend.CreateTask(
            fe.CreateTaskRequest(
                function_id=function_id, function_arguments=json.dumps({"message": "m"}), executor="builtin"
            ),
            metadata=user,
        )
    ).task_id

    for process in RESTARTED:  # one at a time, SIGKILL: no chance to flush anything
        old = platform.kill(process)
        await asyncio.to_thread(platform.wait_restarted, process, old)

    # The token issued before the restarts still works, and the user can log in again.
    listed = await wire.frontend.ListFunctions(fe.ListFunctionsRequest(user_id=user["id"]), metadata=user)
    assert function_id in listed.registered_functions
    fresh = await wire.login(user["id"], "pw-" + user["id"])
    assert fresh["token"]
    task = await wire.frontend.GetTask(fe.GetTaskRequest(task_id=task_id), metadata=fresh)
    assert task.status == common.TaskStatus.Created and task.function_id == function_id
    info = await wire.frontend.GetInputFile(fe.GetInputFileRequest(data_id=data_id), metadata=user)
    assert list(info.owner) == [user["id"]]
    stats = await wire.frontend.GetFunctionUsageStats(
        fe.GetFunctionUsageStatsRequest(function_id=function_id), metadata=user
    )
    assert (stats.function_quota, stats.current_usage) == (5, 0)
