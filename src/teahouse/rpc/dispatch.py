"""Binding plain service objects to generated grpclib bases.

A service implementation is an ordinary class with one coroutine per RPC, named in
snake_case (``register_input_file(request) -> response``). :func:`bind` builds the grpclib
handler: it receives the request, records the call in :func:`teahouse.rpc.context.current_call`,
awaits the method and translates errors — once, here, for every service.
"""

from __future__ import annotations

import inspect
import logging
import re
import time
import types
import typing
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from grpclib.server import Stream

from teahouse.rpc.context import CallContext, reset_current_call, set_current_call
from teahouse.rpc.convert import from_proto, to_proto
from teahouse.rpc.errors import to_grpc

log = logging.getLogger(__name__)

#: Metadata key that carries a request id from the frontend to the services it calls.
REQUEST_ID_KEY = "request-id"

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
        metadata = _metadata(stream)
        request_id = metadata.get(REQUEST_ID_KEY, "")
        if not (0 < len(request_id) <= 64 and request_id.isalnum()):
            request_id = uuid.uuid4().hex[:16]
        call = CallContext(
            method=method,
            metadata=metadata,
            peer=transport.get_extra_info("teahouse_peer"),
            client_address=address[0] if address else None,
            request_id=request_id,
        )
        token = set_current_call(call)
        log_context = structlog.contextvars.bound_contextvars(request_id=request_id, rpc=method)
        log_context.__enter__()
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
            log_context.__exit__(None, None, None)
            reset_current_call(token)
            elapsed = time.perf_counter() - started
            for observer in _observers:
                observer(method, status, elapsed)

    return handle


def rpc_types(base: type) -> dict[str, tuple[type, type]]:
    """``rpc name → (request message class, reply message class)`` of a generated grpclib base."""
    abstract: frozenset[str] = getattr(base, "__abstractmethods__", frozenset())
    stubbed = type("_Types", (base,), {name: lambda self, stream: None for name in abstract})
    mapping = stubbed().__mapping__()  # type: ignore[attr-defined]
    return {path.rsplit("/", 1)[1]: (h.request_type, h.reply_type) for path, h in mapping.items()}


def domain_adapter(base: type, domain: object, caller: Callable[[], object] | None = None) -> object:
    """An object with one coroutine per RPC of ``base`` that converts the proto request into the
    dataclass the domain method declares, calls it (with ``caller()`` first if the method takes a
    ``caller``), and converts the returned dataclass into the reply message."""
    adapter = types.SimpleNamespace()
    for rpc, (_, reply_type) in rpc_types(base).items():
        method = getattr(domain, snake_case(rpc), None)
        if method is None:
            raise TypeError(f"{type(domain).__name__} does not implement {rpc} ({snake_case(rpc)})")
        setattr(adapter, snake_case(rpc), _adapt(method, reply_type, caller))
    return adapter


def _adapt(
    method: Callable[..., Awaitable[Any]], reply_type: type, caller: Callable[[], object] | None
) -> Callable[[Any], Awaitable[Any]]:
    hints = typing.get_type_hints(method)
    params = [p for p in inspect.signature(method).parameters if p != "self"]
    wants_caller = bool(params) and params[0] == "caller"
    request_cls = hints[params[-1]] if params and params[-1] != "caller" else None

    async def call(request: Any) -> Any:
        args: list[Any] = []
        if wants_caller:
            assert caller is not None, f"{method.__name__} needs a caller"
            args.append(caller())
        if request_cls is not None:
            args.append(from_proto(request, request_cls))
        return to_proto(await method(*args), reply_type)

    return call


def bind(base: type, impl: object) -> object:
    """An instance of the generated ``base`` whose RPCs call ``impl``'s snake_case methods."""
    namespace: dict[str, Any] = {}
    for rpc in sorted(getattr(base, "__abstractmethods__", ())):
        target = getattr(impl, snake_case(rpc), None)
        if target is None:
            raise TypeError(f"{type(impl).__name__} does not implement {rpc} ({snake_case(rpc)})")
        namespace[rpc] = _unary(f"{base.__name__.removesuffix('Base')}/{rpc}", target)
    return type(f"Bound{base.__name__}", (base,), namespace)()
