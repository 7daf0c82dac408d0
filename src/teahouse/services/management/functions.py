"""Functions: registration, update, lookup, usage, deletion, disabling, listing (spec/behaviour.md §1.2)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable

from teahouse.errors import PermissionDenied
from teahouse.kv import Transaction, run_transaction
from teahouse.model import (
    FUNCTION_PREFIX,
    ExecutorType,
    Function,
    FunctionUsage,
    UserFunctions,
)
from teahouse.services.management import _validate as check
from teahouse.services.management._base import DomainService
from teahouse.services.management._caller import Caller, Principal, identify
from teahouse.services.management._records import (
    function_by_id,
    save,
    usage_of,
    user_functions,
)
from teahouse.services.management.errors import InvalidFunctionId, InvalidRequest
from teahouse.services.management.messages import (
    FunctionIdRequest,
    FunctionIdResponse,
    GetFunctionResponse,
    GetFunctionUsageStatsResponse,
    ListFunctionsRequest,
    ListFunctionsResponse,
    RegisterFunctionRequest,
    UpdateFunctionRequest,
)

INT32_MAX = 2**31 - 1


def _build(
    request: RegisterFunctionRequest | UpdateFunctionRequest, function_id: uuid.UUID, owner: str
) -> Function:
    check.unique((a.key for a in request.arguments), "arguments")
    check.unique((i.name for i in request.inputs), "inputs")
    check.unique((o.name for o in request.outputs), "outputs")
    if not -(2**31) <= request.usage_quota <= INT32_MAX:
        raise InvalidRequest(f"usage_quota: {request.usage_quota} is not a 32-bit integer")
    return Function(
        id=function_id,
        name=request.name,
        description=request.description,
        public=request.public,
        executor_type=check.executor_type(request.executor_type),
        payload=check.payload(request.payload),
        arguments=tuple(request.arguments),
        inputs=tuple(request.inputs),
        outputs=tuple(request.outputs),
        owner=owner,
        user_allowlist=tuple(request.user_allowlist),
        usage_quota=None if request.usage_quota < 0 else request.usage_quota,
    )


async def _build_checked(
    request: RegisterFunctionRequest | UpdateFunctionRequest, function_id: uuid.UUID, owner: str
) -> Function:
    """:func:`_build`, then a ``wamr`` payload is compiled and inspected (off the event loop)."""
    function = _build(request, function_id, owner)
    if function.executor_type is ExecutorType.WAMR:
        await asyncio.to_thread(check.wasm_payload, function.payload)
    return function


async def _edit_lists(
    txn: Transaction,
    user_id: str,
    edit: Callable[[UserFunctions], UserFunctions],
    *,
    create: bool,
) -> None:
    """Apply ``edit`` to a user's function lists, creating the record if asked to."""
    current = await user_functions(txn, user_id)
    if current is None and not create:
        return
    base = current or UserFunctions(user_id)
    new = edit(base)
    if new != current:
        save(txn, new)


def _append(ids: tuple[str, ...], function_id: str) -> tuple[str, ...]:
    return ids if function_id in ids else (*ids, function_id)


def _without(lists: UserFunctions, function_id: str) -> UserFunctions:
    return dataclasses.replace(
        lists,
        registered_functions=tuple(i for i in lists.registered_functions if i != function_id),
        allowed_functions=tuple(i for i in lists.allowed_functions if i != function_id),
    )


async def _forget(txn: Transaction, function: Function) -> None:
    """Remove the function's id from the lists of its owner and of every allow-listed user."""
    fid = str(function.external_id)
    for user_id in dict.fromkeys((function.owner, *function.user_allowlist)):
        await _edit_lists(txn, user_id, lambda lists: _without(lists, fid), create=False)


class FunctionService(DomainService):
    """The seven function RPCs."""

    async def register_function(self, caller: Caller, request: RegisterFunctionRequest) -> FunctionIdResponse:
        """Store the function, its usage counter (0) and its place in the owner's and allowed users' lists."""
        me = identify(caller)
        function = await _build_checked(request, self._new_uuid(), me.user_id)
        fid = str(function.external_id)

        async def body(txn: Transaction) -> None:
            await txn.get(function.key)  # expect absent
            save(txn, function)
            save(txn, FunctionUsage(function.id, 0))
            await _edit_lists(
                txn,
                me.user_id,
                lambda u: dataclasses.replace(u, registered_functions=_append(u.registered_functions, fid)),
                create=True,
            )
            for user_id in dict.fromkeys(function.user_allowlist):
                await _edit_lists(
                    txn,
                    user_id,
                    lambda u: dataclasses.replace(u, allowed_functions=_append(u.allowed_functions, fid)),
                    create=True,
                )

        await run_transaction(self._kv, body)
        return FunctionIdResponse(fid)

    async def update_function(self, caller: Caller, request: UpdateFunctionRequest) -> FunctionIdResponse:
        """Replace the whole record (owner only); user lists and usage counter stay as they are."""
        me = identify(caller)
        draft = await _build_checked(request, uuid.UUID(int=0), me.user_id)

        async def body(txn: Transaction) -> str:
            old = await function_by_id(txn, request.function_id)
            if old.owner != me.user_id:
                raise PermissionDenied()
            new = dataclasses.replace(draft, id=old.id, disabled=old.disabled)
            save(txn, new)
            return str(new.external_id)

        return FunctionIdResponse(await run_transaction(self._kv, body))

    async def get_function(self, caller: Caller, request: FunctionIdRequest) -> GetFunctionResponse:
        me = identify(caller)
        f = await run_transaction(self._kv, lambda txn: function_by_id(txn, request.function_id))
        if f.public or me.is_admin or f.owner == me.user_id:
            payload, allowlist = f.payload, list(f.user_allowlist)
        elif me.user_id in f.user_allowlist:
            payload, allowlist = b"", []
        else:
            raise PermissionDenied()
        return GetFunctionResponse(
            name=f.name,
            description=f.description,
            executor_type=f.executor_type.wire_name,
            owner=f.owner,
            payload=payload,
            public=f.public,
            arguments=list(f.arguments),
            inputs=list(f.inputs),
            outputs=list(f.outputs),
            user_allowlist=allowlist,
        )

    async def get_function_usage_stats(
        self, caller: Caller, request: FunctionIdRequest
    ) -> GetFunctionUsageStatsResponse:
        """Public functions, admins and allow-listed users only (an owner alone is refused, as Teaclave)."""
        me = identify(caller)

        async def body(txn: Transaction) -> tuple[Function, FunctionUsage | None]:
            f = await function_by_id(txn, request.function_id)
            return f, await usage_of(txn, f)

        f, usage = await run_transaction(self._kv, body)
        if not (f.public or me.is_admin or me.user_id in f.user_allowlist):
            raise PermissionDenied()
        if usage is None:
            raise InvalidFunctionId()
        quota = -1 if f.usage_quota is None else f.usage_quota
        return GetFunctionUsageStatsResponse(function_quota=quota, current_usage=usage.use_numbers)

    async def delete_function(self, caller: Caller, request: FunctionIdRequest) -> None:
        """Owner only. Teahouse also removes the usage counter and the id from the users' lists."""
        me = identify(caller)

        async def body(txn: Transaction) -> None:
            f = await function_by_id(txn, request.function_id)
            if f.owner != me.user_id:
                raise PermissionDenied()
            txn.delete(f.key)
            txn.delete(f.usage_key)
            await _forget(txn, f)

        await run_transaction(self._kv, body)

    async def disable_function(self, caller: Caller, request: FunctionIdRequest) -> None:
        """Owner or admin: drop it from every list, clear the allow-list, mark it disabled."""
        me = identify(caller)

        async def body(txn: Transaction) -> None:
            f = await function_by_id(txn, request.function_id)
            if not (me.is_admin or f.owner == me.user_id):
                raise PermissionDenied()
            await _forget(txn, f)
            save(txn, dataclasses.replace(f, user_allowlist=(), disabled=True))

        await run_transaction(self._kv, body)

    async def list_functions(self, caller: Caller, request: ListFunctionsRequest) -> ListFunctionsResponse:
        """A user's lists; for an admin, ``allowed_functions`` is every stored function."""
        me = identify(caller)
        if not (me.is_admin or request.user_id == me.user_id):
            raise PermissionDenied()
        return await run_transaction(self._kv, lambda txn: self._lists(txn, me, request.user_id))

    async def _lists(self, txn: Transaction, me: Principal, user_id: str) -> ListFunctionsResponse:
        lists = await user_functions(txn, user_id)
        if lists is None:
            return ListFunctionsResponse([], [])
        allowed = list(lists.allowed_functions)
        if me.is_admin:
            keys = await txn.keys_with_prefix(FUNCTION_PREFIX.encode())
            allowed = [k.decode() for k in keys]
        return ListFunctionsResponse(list(lists.registered_functions), allowed)
