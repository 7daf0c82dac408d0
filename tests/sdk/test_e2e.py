"""The SDK against the real platform: trust export, attested login, users, functions, files, tasks, audit."""

from __future__ import annotations

import importlib.util
import ipaddress
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.sdk import (
    AsyncAuthenticationClient,
    AsyncFrontendClient,
    AuthenticationClient,
    AuthenticationError,
    Credentials,
    DataMap,
    FrontendClient,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    InvalidArgumentError,
    OwnerList,
    PermissionDeniedError,
    RequestFailedError,
    TaskCanceled,
    TaskStatus,
    Trust,
)
from teahouse.testing.platform import LocalPlatform

pytestmark = pytest.mark.e2e


def _address(platform: LocalPlatform, service: str) -> str:
    host, port = platform.address(service, api=True)
    return f"{host}:{port}"


@pytest.fixture(scope="module")
def exported(platform: LocalPlatform, tmp_path_factory: pytest.TempPathFactory) -> Trust:
    """What a user gets from ``teahouse trust export``."""
    folder = tmp_path_factory.mktemp("exported-trust")
    subprocess.run(
        [sys.executable, "-m", "teahouse.cli", "trust", "export", "--home", str(platform.home), str(folder)],
        check=True,
        capture_output=True,
    )
    return Trust.load(folder)


@pytest.fixture(scope="module")
def admin(platform: LocalPlatform, exported: Trust) -> Credentials:
    with AuthenticationClient(_address(platform, "authentication"), exported) as auth:
        return auth.login("admin", "teaclave")


@pytest.fixture
def frontend(platform: LocalPlatform, exported: Trust, admin: Credentials) -> Iterator[FrontendClient]:
    with FrontendClient(_address(platform, "frontend"), exported, admin) as client:
        yield client


@pytest.fixture
async def auth(
    platform: LocalPlatform, exported: Trust, admin: Credentials
) -> AsyncIterator[AsyncAuthenticationClient]:
    async with AsyncAuthenticationClient(_address(platform, "authentication"), exported, admin) as client:
        yield client


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_login_is_attested_and_labelled_simulated(platform: LocalPlatform, exported: Trust) -> None:
    assert exported.simulated
    with AuthenticationClient(_address(platform, "authentication"), exported) as client:
        with pytest.raises(AuthenticationError, match="authentication failed"):
            client.login("admin", "wrong")
        credentials = client.login("admin", "teaclave")
        peer = client.peer
        assert "simulated" in repr(client)
    assert credentials.id == "admin" and credentials.token
    assert (
        peer is not None and peer.service == "authentication" and peer.simulated and peer.quote_status == "OK"
    )


async def test_user_management(
    platform: LocalPlatform, exported: Trust, auth: AsyncAuthenticationClient
) -> None:
    user = _name("sdk-user")
    await auth.register_user(user, "first", "DataOwner", "sdk")
    assert user in await auth.list_users()
    await auth.update_user(user, "second", "DataOwner", "sdk")
    password = await auth.reset_password(user)
    async with AsyncAuthenticationClient(_address(platform, "authentication"), exported) as own:
        with pytest.raises(AuthenticationError):
            await own.login(user, "second")
        await own.login(user, password)
        await own.change_password("third")
    await auth.delete_user(user)
    assert user not in await auth.list_users()


def test_functions(frontend: FrontendClient, admin: Credentials) -> None:
    function_id = frontend.register_function(
        "builtin-echo",
        "echo",
        "builtin",
        arguments=[FunctionArgument("message")],
        usage_quota=3,
    )
    function = frontend.get_function(function_id)
    assert function.function_id == function_id and function.owner == "admin"
    assert function.arguments == (FunctionArgument("message"),) and function.public
    assert function_id in frontend.list_functions().registered_functions
    new_id = frontend.update_function(
        function_id, "builtin-echo", "echo v2", "builtin", arguments=[FunctionArgument("message")]
    )
    assert new_id == function_id and frontend.get_function(function_id).description == "echo v2"
    stats = frontend.get_function_usage_stats(function_id)
    assert stats.current_usage == 0 and stats.unlimited
    frontend.disable_function(function_id)
    assert function_id not in frontend.list_functions(admin.id).registered_functions


def test_an_echo_task_is_staged(frontend: FrontendClient) -> None:
    function_id = frontend.register_function(
        "builtin-echo", "echo", "builtin", arguments=[FunctionArgument("message")]
    )
    task_id = frontend.create_task(function_id, {"message": "Hello, Teaclave!"}, "builtin")
    created = frontend.get_task(task_id)
    assert created.status is TaskStatus.Created and created.function_arguments == {
        "message": "Hello, Teaclave!"
    }
    assert created.participants == frozenset({"admin"}) and created.creator == "admin"
    frontend.invoke_task(task_id)
    assert frontend.get_task(task_id).status in (TaskStatus.Staged, TaskStatus.Running, TaskStatus.Finished)
    assert frontend.get_function_usage_stats(function_id).current_usage == 1


def test_files_assignment_approval_and_cancel(frontend: FrontendClient, tmp_path: Path) -> None:
    function_id = frontend.register_function(
        "builtin-ordered-set-intersect",
        "psi",
        "builtin",
        arguments=[FunctionArgument("order")],
        inputs=[FunctionInput("input_data1"), FunctionInput("input_data2")],
        outputs=[FunctionOutput("output_result1")],
    )
    first = frontend.upload_input(b"a\nb\nc\n", tmp_path / "psi0.enc")
    second = frontend.upload_input(b"b\nc\nd\n", tmp_path / "psi1.enc", schema="aes-gcm-128")
    info = frontend.get_input_file(first.data_id)
    assert info.owners == frozenset({"admin"}) and info.cmac == first.cmac
    output_id = frontend.register_output_file(
        (tmp_path / "out.enc").as_uri(), FileCrypto(Schema.TEACLAVE_FILE_128, bytes(16))
    )
    assert frontend.get_output_file(output_id).cmac is None
    task_id = frontend.create_task(
        function_id,
        {"order": "ascending"},
        "builtin",
        inputs_ownership=[OwnerList("input_data1", ["admin"]), OwnerList("input_data2", ["admin"])],
        outputs_ownership={"output_result1": ["admin"]},
    )
    frontend.assign_data(
        task_id,
        [DataMap("input_data1", first.data_id), DataMap("input_data2", second.data_id)],
        {"output_result1": output_id},
    )
    task = frontend.get_task(task_id)
    assert task.status is TaskStatus.DataAssigned
    assert set(task.assigned_inputs) == {
        DataMap("input_data1", first.data_id),
        DataMap("input_data2", second.data_id),
    }
    frontend.approve_task(task_id)
    assert frontend.get_task(task_id).status is TaskStatus.Approved
    frontend.cancel_task(task_id)
    with pytest.raises(TaskCanceled, match="Task canceled"):
        frontend.wait_task(task_id, timeout=30)
    with pytest.raises(RequestFailedError, match="failed to cancel task"):
        frontend.cancel_task(task_id)


async def test_errors_and_audit(platform: LocalPlatform, exported: Trust, admin: Credentials) -> None:
    address = _address(platform, "frontend")
    async with AsyncFrontendClient(address, exported, admin) as client:
        with pytest.raises(InvalidArgumentError, match="invalid task id"):
            await client.get_task("task-nope")
        client.credentials = Credentials("admin", "not-a-token")
        with pytest.raises(AuthenticationError, match="incorrent credential"):
            await client.list_functions()
        client.credentials = admin
        entries = await client.query_audit_logs("message:get_task", limit=5)
    assert 1 <= len(entries) <= 5
    assert all(e.message.startswith("get_task") for e in entries)
    assert ipaddress.IPv4Address("127.0.0.1") in {e.ip for e in entries}
    assert entries == sorted(entries, key=lambda e: e.time, reverse=True)
    async with AsyncAuthenticationClient(_address(platform, "authentication"), exported, admin) as auth:
        user = _name("sdk-owner")
        await auth.register_user(user, "pw", "DataOwner", "sdk")
    async with AsyncAuthenticationClient(_address(platform, "authentication"), exported) as auth:
        owner = await auth.login(user, "pw")
    async with AsyncFrontendClient(address, exported, owner) as client:
        with pytest.raises(PermissionDeniedError, match="permission denied"):
            await client.query_audit_logs("*")


@pytest.mark.skipif(
    importlib.util.find_spec("teahouse.services.execution") is None, reason="no execution service yet"
)
def test_an_echo_task_runs_to_its_result(frontend: FrontendClient) -> None:
    function_id = frontend.register_function(
        "builtin-echo", "echo", "builtin", arguments=[FunctionArgument("message")]
    )
    task_id = frontend.create_task(function_id, {"message": "Hello, Teaclave!"}, "builtin")
    frontend.invoke_task(task_id)
    seen: list[TaskStatus] = []
    task = frontend.wait_task(task_id, timeout=90, progress=lambda t: seen.append(t.status))
    assert task.status is TaskStatus.Finished and seen[-1] is TaskStatus.Finished
    assert frontend.get_task_result(task_id, timeout=5) == b"Hello, Teaclave!"
