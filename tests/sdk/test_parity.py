"""The sync clients are exact twins of the async ones: same methods, same signatures, same wire traffic."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import pytest

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.sdk import (
    AsyncAuthenticationClient,
    AsyncFrontendClient,
    AsyncStorageKV,
    AuthenticationClient,
    DataMap,
    FrontendClient,
    FunctionArgument,
    FunctionInput,
    OwnerList,
    StorageKV,
    Trust,
)

from .conftest import ADMIN, Services

PAIRS = [
    (AsyncAuthenticationClient, AuthenticationClient),
    (AsyncFrontendClient, FrontendClient),
    (AsyncStorageKV, StorageKV),
]
LIFECYCLE = {"aclose", "close"}


def _public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name not in LIFECYCLE
    }


@pytest.mark.parametrize(("async_cls", "sync_cls"), PAIRS)
def test_same_methods_and_signatures(async_cls: type, sync_cls: type) -> None:
    async_methods, sync_methods = _public_methods(async_cls), _public_methods(sync_cls)
    assert set(async_methods) == set(sync_methods)
    for name, method in async_methods.items():
        assert inspect.iscoroutinefunction(method), name
        assert not inspect.iscoroutinefunction(sync_methods[name]), name
        assert inspect.signature(method) == inspect.signature(sync_methods[name]), name
    assert inspect.signature(async_cls.__init__) == inspect.signature(sync_cls.__init__)
    assert hasattr(async_cls, "__aenter__") and hasattr(sync_cls, "__enter__")


CRYPTO = FileCrypto(Schema.AES_GCM_128, bytes(16), bytes(12))
FRONTEND_SCRIPT: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    (
        "register_function",
        ("f", "d", "python"),
        {"payload": b"code", "arguments": [FunctionArgument("a")], "inputs": [FunctionInput("i")]},
    ),
    ("update_function", ("function-1", "f", "d2", "python"), {"usage_quota": 3}),
    ("get_function", ("function-1",), {}),
    ("get_function_usage_stats", ("function-1",), {}),
    ("list_functions", (), {}),
    ("disable_function", ("function-1",), {}),
    ("delete_function", ("function-1",), {}),
    ("register_input_file", ("http://h/i", CRYPTO, bytes(16)), {}),
    ("register_output_file", ("http://h/o", CRYPTO), {}),
    ("update_input_file", ("input-1", "http://h/i2"), {}),
    ("update_output_file", ("output-1", "http://h/o2"), {}),
    ("register_fusion_output", (["admin", "u"],), {}),
    ("register_input_from_output", ("output-1",), {}),
    ("get_input_file", ("input-1",), {}),
    ("get_output_file", ("output-1",), {}),
    ("create_task", ("function-1", {"a": 1}, "mesapy", [OwnerList("i", ["admin"])]), {}),
    ("assign_data", ("task-1", [DataMap("i", "input-1")]), {}),
    ("approve_task", ("task-1",), {}),
    ("invoke_task", ("task-1",), {}),
    ("cancel_task", ("task-1",), {}),
    ("get_task", ("task-1",), {}),
    ("query_audit_logs", ("user:admin", 7), {}),
]


def _traffic(services: Services) -> list[tuple[str, bytes, tuple[str, str]]]:
    return [
        (c.method, c.request.SerializeToString(deterministic=True), (c.metadata["id"], c.metadata["token"]))
        for c in services.frontend.calls
    ]


async def test_both_frontend_clients_send_the_same_requests(fakes: Services, trust: Trust) -> None:
    async_results = []
    async with AsyncFrontendClient(fakes.frontend_address, trust, ADMIN) as client:
        for name, args, kwargs in FRONTEND_SCRIPT:
            async_results.append(await getattr(client, name)(*args, **kwargs))
    async_traffic = _traffic(fakes)
    fakes.frontend.reset()
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as sync_client:
        sync_results = [getattr(sync_client, name)(*args, **kwargs) for name, args, kwargs in FRONTEND_SCRIPT]
    assert _traffic(fakes) == async_traffic
    assert len(async_traffic) == len(FRONTEND_SCRIPT)
    assert [type(r) for r in sync_results] == [type(r) for r in async_results]


def test_one_sync_client_serves_many_threads(fakes: Services, trust: Trust) -> None:
    errors: list[BaseException] = []
    with FrontendClient(fakes.frontend_address, trust, ADMIN) as client:

        def work() -> None:
            try:
                for _ in range(10):
                    assert client.get_task("task-1").task_id == "task-1"
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(fakes.frontend.calls) == 80


def test_sync_clients_each_have_their_own_loop_thread(fakes: Services, trust: Trust) -> None:
    before = {t.name for t in threading.enumerate()}
    with (
        AuthenticationClient(fakes.auth_address, trust) as a,
        AuthenticationClient(fakes.auth_address, trust) as b,
    ):
        a.login("admin", "teaclave")
        b.login("admin", "teaclave")
        loops = [t for t in threading.enumerate() if t.name not in before]
        assert len(loops) == 2 and all(t.daemon for t in loops)
    assert not any(t.is_alive() for t in loops)
