"""Function RPCs (spec/behaviour.md §1.2, spec/wire.md §3.1)."""

from __future__ import annotations

import pytest

from teahouse.errors import Code, PermissionDenied
from teahouse.kv import MemoryKeyValueStore
from teahouse.model import ExternalID, Function, FunctionArgument, FunctionInput, FunctionOutput, user_key
from teahouse.services.management import Caller, ManagementService, _validate
from teahouse.services.management import messages as m
from teahouse.services.management.errors import InvalidFunctionId, InvalidRequest

from .conftest import ADMIN, data_owner

OWNER = Caller("fowner", "FunctionOwner")
ALICE = data_owner("alice")
BOB = data_owner("bob")


def request(**kw: object) -> m.RegisterFunctionRequest:
    base: dict[str, object] = {
        "name": "builtin-echo",
        "description": "echo",
        "executor_type": "builtin",
        "public": False,
        "payload": b"print('hi')",
        "arguments": [FunctionArgument("message")],
        "inputs": [FunctionInput("in")],
        "outputs": [FunctionOutput("out", optional=True)],
        "user_allowlist": ["alice"],
        "usage_quota": -1,
    }
    return m.RegisterFunctionRequest(**(base | kw))  # type: ignore[arg-type]


async def register(svc: ManagementService, caller: Caller = OWNER, **kw: object) -> str:
    return (await svc.register_function(caller, request(**kw))).function_id


async def lists(svc: ManagementService, caller: Caller, user: str) -> tuple[list[str], list[str]]:
    reply = await svc.list_functions(caller, m.ListFunctionsRequest(user))
    return reply.registered_functions, reply.allowed_functions


async def test_register_creates_record_usage_and_user_lists(
    svc: ManagementService, kv: MemoryKeyValueStore
) -> None:
    fid = await register(svc, user_allowlist=["alice", "bob", "alice"])
    eid = ExternalID.parse(fid, "function")
    f = Function.from_bytes(await kv.get(eid.key) or b"")
    assert (f.owner, f.user_allowlist, f.usage_quota, f.public) == (
        "fowner",
        ("alice", "bob", "alice"),
        None,
        False,
    )
    assert await svc.get_function_usage_stats(
        ALICE, m.FunctionIdRequest(fid)
    ) == m.GetFunctionUsageStatsResponse(-1, 0)
    assert await lists(svc, OWNER, "fowner") == ([fid], [])
    assert await lists(svc, ALICE, "alice") == ([], [fid])  # the duplicate allow-list entry is listed once
    assert await lists(svc, BOB, "bob") == ([], [fid])
    assert await kv.get(user_key("alice")) is not None


async def test_executor_type_aliases_and_refusals(svc: ManagementService) -> None:
    fid = await register(svc, executor_type="mesapy", public=True)
    assert (await svc.get_function(ALICE, m.FunctionIdRequest(fid))).executor_type == "python"
    with pytest.raises(InvalidRequest, match="executor_type: unknown value 'wasm'") as info:
        await register(svc, executor_type="wasm")
    assert info.value.code is Code.INVALID_ARGUMENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"arguments": [FunctionArgument("a"), FunctionArgument("a", "x", False)]},
            "arguments: 'a' is declared twice",
        ),
        ({"inputs": [FunctionInput("x"), FunctionInput("x")]}, "inputs: 'x' is declared twice"),
        ({"outputs": [FunctionOutput("y"), FunctionOutput("y")]}, "outputs: 'y' is declared twice"),
        (
            {"payload": bytes(4 * 1024 * 1024 + 1)},
            "payload: 4194305 bytes exceed the 4194304-byte message limit",
        ),
        ({"usage_quota": 2**31}, "usage_quota"),
    ],
)
async def test_register_validation(svc: ManagementService, changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        await register(svc, **changes)


def test_payload_of_exactly_the_message_limit_is_accepted() -> None:
    payload = bytes(4 * 1024 * 1024)
    assert _validate.payload(payload) == payload  # (the service test would spend seconds on JSON)


async def test_quota_is_stored_and_reported(svc: ManagementService) -> None:
    fid = await register(svc, usage_quota=5, public=True)
    assert (await svc.get_function_usage_stats(ALICE, m.FunctionIdRequest(fid))).function_quota == 5
    fid0 = await register(svc, usage_quota=0, public=True)
    assert (await svc.get_function_usage_stats(ALICE, m.FunctionIdRequest(fid0))).function_quota == 0


async def test_get_function_visibility(svc: ManagementService) -> None:
    fid = await register(svc)
    full = await svc.get_function(OWNER, m.FunctionIdRequest(fid))
    assert full.payload == b"print('hi')" and full.user_allowlist == ["alice"]
    assert full.owner == "fowner" and full.arguments == [FunctionArgument("message")]
    assert await svc.get_function(ADMIN, m.FunctionIdRequest(fid)) == full
    allowed = await svc.get_function(ALICE, m.FunctionIdRequest(fid))
    assert (allowed.payload, allowed.user_allowlist, allowed.name) == (b"", [], "builtin-echo")
    with pytest.raises(PermissionDenied):
        await svc.get_function(BOB, m.FunctionIdRequest(fid))
    public = await register(svc, public=True)
    assert (await svc.get_function(BOB, m.FunctionIdRequest(public))).payload == b"print('hi')"


@pytest.mark.parametrize("bad", ["", "function-nope", "task-00000000-0000-4000-8000-000000000000"])
async def test_unknown_function_ids(svc: ManagementService, bad: str) -> None:
    with pytest.raises(InvalidFunctionId) as info:
        await svc.get_function(ADMIN, m.FunctionIdRequest(bad))
    assert (info.value.code, info.value.message) == (Code.INVALID_ARGUMENT, "invalid function id")


async def test_usage_stats_refuse_the_owner_of_a_private_function(svc: ManagementService) -> None:
    """Teaclave quirk kept: only public, admin or allow-listed callers may read usage."""
    fid = await register(svc)
    with pytest.raises(PermissionDenied):
        await svc.get_function_usage_stats(OWNER, m.FunctionIdRequest(fid))
    with pytest.raises(PermissionDenied):
        await svc.get_function_usage_stats(BOB, m.FunctionIdRequest(fid))
    assert (await svc.get_function_usage_stats(ADMIN, m.FunctionIdRequest(fid))).current_usage == 0


async def test_update_function_replaces_the_record_but_not_the_lists(svc: ManagementService) -> None:
    fid = await register(svc)
    update = m.UpdateFunctionRequest(
        fid, "renamed", executor_type="python", user_allowlist=["bob"], usage_quota=3
    )
    assert (await svc.update_function(OWNER, update)).function_id == fid
    got = await svc.get_function(OWNER, m.FunctionIdRequest(fid))
    assert (got.name, got.executor_type, got.user_allowlist, got.arguments) == (
        "renamed",
        "python",
        ["bob"],
        [],
    )
    assert await lists(svc, BOB, "bob") == ([], [])  # lists untouched, as in Teaclave
    assert await lists(svc, ALICE, "alice") == ([], [fid])


async def test_update_function_refusals(svc: ManagementService) -> None:
    fid = await register(svc)
    with pytest.raises(PermissionDenied):
        await svc.update_function(ADMIN, m.UpdateFunctionRequest(fid, "x"))
    with pytest.raises(InvalidFunctionId):
        await svc.update_function(OWNER, m.UpdateFunctionRequest(fid.replace("function", "task"), "x"))
    with pytest.raises(InvalidRequest):
        await svc.update_function(OWNER, m.UpdateFunctionRequest(fid, "x", executor_type="java"))


async def test_delete_function_cleans_the_user_lists(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    """Teahouse fix: Teaclave leaves dangling ids in the owner's and allowed users' lists."""
    keep = await register(svc)
    fid = await register(svc, user_allowlist=["alice", "bob"])
    with pytest.raises(PermissionDenied):
        await svc.delete_function(ADMIN, m.FunctionIdRequest(fid))
    await svc.delete_function(OWNER, m.FunctionIdRequest(fid))
    assert await lists(svc, OWNER, "fowner") == ([keep], [])
    assert await lists(svc, ALICE, "alice") == ([], [keep])
    assert await lists(svc, BOB, "bob") == ([], [])
    eid = ExternalID.parse(fid)
    assert await kv.get(eid.key) is None
    assert await kv.get(f"usage-{eid.uuid}".encode()) is None
    with pytest.raises(InvalidFunctionId):
        await svc.get_function(OWNER, m.FunctionIdRequest(fid))


async def test_disable_function(svc: ManagementService) -> None:
    fid = await register(svc, user_allowlist=["alice"])
    with pytest.raises(PermissionDenied):
        await svc.disable_function(ALICE, m.FunctionIdRequest(fid))
    await svc.disable_function(ADMIN, m.FunctionIdRequest(fid))
    assert await lists(svc, OWNER, "fowner") == ([], [])
    assert await lists(svc, ALICE, "alice") == ([], [])
    got = await svc.get_function(OWNER, m.FunctionIdRequest(fid))  # the record stays
    assert got.user_allowlist == [] and got.public is False
    assert fid in (await lists(svc, ADMIN, "fowner"))[1]  # an admin still sees every stored function


async def test_disable_function_example(svc: ManagementService) -> None:
    """examples/python/test_disable_function.py: N functions, disable one, N-1 functions."""
    user0 = Caller("user0", "PlatformAdmin")
    for _ in range(2):
        last = await register(svc, user0, name="func_test1", arguments=[FunctionArgument("num_user")])
    before = len((await lists(svc, user0, "user0"))[0])
    await svc.disable_function(user0, m.FunctionIdRequest(last))
    after = len((await lists(svc, user0, "user0"))[0])
    assert (before, after) == (2, 1)


async def test_list_functions_rules(svc: ManagementService) -> None:
    a = await register(svc)
    b = await register(svc, ALICE)
    with pytest.raises(PermissionDenied):
        await lists(svc, ALICE, "fowner")
    assert await lists(svc, ADMIN, "nobody") == ([], [])  # no record: both empty, even for an admin
    registered, allowed = await lists(svc, ADMIN, "fowner")
    assert registered == [a] and sorted(allowed) == sorted([a, b])
