"""Binding plain service objects to generated grpclib bases.

A service implementation is an ordinary class with one coroutine per RPC, named in
snake_case (``register_input_file(request) -> response``). :func:`bind` builds the grpclib
handler: it receives the request, records the call in :func:`teahouse.rpc.context.current_call`,
awaits the method and translates errors — once, here, for every service.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from grpclib.server import Stream

from teahouse.rpc.context import CallContext, reset_current_call, set_current_call
from teahouse.rpc.errors import to_grpc

log = logging.getLogger(__name__)

#: Called after every RPC with (method, status code, seconds); metrics hook in here.
CallObserver = Callable[[str, int, float], None]
_observers: list[CallObserver] = []


def add_call_observer(observer: CallObserver) -> None:
    _observers.append(observer)


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _metadata(stream: Stream[Any, Any]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in (stream.metadata or {}).items():
        if isinstance(value, str) and value.isascii():
            result.setdefault(key, value)
    return result


def _unary(
    method: str, target: Callable[[Any], Awaitable[Any]]
) -> Callable[[object, Stream[Any, Any]], Awaitable[None]]:
    async def handle(self: object, stream: Stream[Any, Any]) -> None:
        started = time.perf_counter()
        transport = stream.peer._transport
        address = transport.get_extra_info("peername")
        call = CallContext(
            method=method,
            metadata=_metadata(stream),
            peer=transport.get_extra_info("teahouse_peer"),
            client_address=address[0] if address else None,
        )
        token = set_current_call(call)
        status = 0
        try:
            request = await stream.recv_message()
            try:
                response = await target(request)
            except Exception as exc:  # noqa: BLE001 - translated to a status right here
                grpc_error = to_grpc(exc, method)
                status = int(grpc_error.status.value)
                raise grpc_error from None
            await stream.send_message(response)
        finally:
            reset_current_call(token)
            elapsed = time.perf_counter() - started
            for observer in _observers:
                observer(method, status, elapsed)

    return handle


def bind(base: type, impl: object) -> object:
    """An instance of the generated ``base`` whose RPCs call ``impl``'s snake_case methods."""
    namespace: dict[str, Any] = {}
    for rpc in sorted(getattr(base, "__abstractmethods__", ())):
        target = getattr(impl, snake_case(rpc), None)
        if target is None:
            raise TypeError(f"{type(impl).__name__} does not implement {rpc} ({snake_case(rpc)})")
        namespace[rpc] = _unary(f"{base.__name__.removesuffix('Base')}/{rpc}", target)
    return type(f"Bound{base.__name__}", (base,), namespace)()
