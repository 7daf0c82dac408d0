"""Tasks: create, inspect, assign data, approve, invoke and cancel (spec/behaviour.md §1.5).

Every change of a task record is an optimistic transaction (``teahouse.kv.run_transaction``):
concurrent approvals, assignments and the scheduler's own writes never overwrite each other.
"""

from __future__ import annotations

import dataclasses

from teahouse.errors import PermissionDenied
from teahouse.kv import Transaction, run_transaction
from teahouse.model import (
    CANCEL_QUEUE,
    STAGED_TASK_QUEUE,
    ExternalID,
    Function,
    FunctionUsage,
    InvalidExternalID,
    TaskState,
    TaskStatus,
)
from teahouse.services.management import _task_rules as rules
from teahouse.services.management._base import DomainService
from teahouse.services.management._caller import Caller, identify
from teahouse.services.management._records import (
    function_by_id,
    input_by_id,
    load,
    output_by_id,
    save,
    task_by_id,
    usage_of,
)
from teahouse.services.management.errors import InvalidFunctionId, InvalidRequest
from teahouse.services.management.messages import (
    AssignDataRequest,
    CreateTaskRequest,
    CreateTaskResponse,
    DataMap,
    GetTaskResponse,
    OwnerList,
    TaskIdRequest,
)


def _check_data_ids(entries: list[DataMap], what: str) -> None:
    """Each ``data_id`` must be an id; whether it names a file of the right kind is checked later."""
    for entry in entries:
        try:
            ExternalID.parse(entry.data_id)
        except InvalidExternalID as exc:
            raise InvalidRequest(f"{what}: data_id of {entry.data_name!r}: {exc.message}") from None


def task_view(task: TaskState) -> GetTaskResponse:
    """GetTask's answer; set-valued fields sorted."""
    return GetTaskResponse(
        task_id=str(task.external_id),
        creator=task.creator,
        function_id=str(task.function_id),
        function_owner=task.function_owner,
        function_arguments=rules.arguments_text(task),
        inputs_ownership=[OwnerList(n, sorted(u)) for n, u in sorted(task.inputs_ownership.items())],
        outputs_ownership=[OwnerList(n, sorted(u)) for n, u in sorted(task.outputs_ownership.items())],
        participants=sorted(task.participants),
        approved_users=sorted(task.approved_users),
        assigned_inputs=[DataMap(n, str(f.external_id)) for n, f in sorted(task.assigned_inputs.items())],
        assigned_outputs=[DataMap(n, str(f.external_id)) for n, f in sorted(task.assigned_outputs.items())],
        status=task.status,
        result=task.result,
    )


class TaskService(DomainService):
    """The six task RPCs."""

    async def create_task(self, caller: Caller, request: CreateTaskRequest) -> CreateTaskResponse:
        me = identify(caller)
        task_id = self._new_uuid()

        async def body(txn: Transaction) -> TaskState:
            function = await function_by_id(txn, request.function_id)
            task = rules.new_task(task_id, me, function, request)
            await txn.get(task.key)  # expect absent
            save(txn, task)
            return task

        task = await run_transaction(self._kv, body)
        return CreateTaskResponse(str(task.external_id))

    async def get_task(self, caller: Caller, request: TaskIdRequest) -> GetTaskResponse:
        """Participants only; no admin override (an admin is not a party to the data)."""
        me = identify(caller)
        task = await run_transaction(self._kv, lambda txn: task_by_id(txn, request.task_id))
        rules.check_participant(task, me)
        return task_view(task)

    async def assign_data(self, caller: Caller, request: AssignDataRequest) -> None:
        """Assign files to the task's data names; any refusal assigns nothing."""
        me = identify(caller)
        _check_data_ids(request.inputs, "inputs")
        _check_data_ids(request.outputs, "outputs")

        async def body(txn: Transaction) -> None:
            task = await task_by_id(txn, request.task_id)
            rules.check_assign_start(task, me)
            for entry in request.inputs:
                task = rules.assign_input(task, me, entry.data_name, await input_by_id(txn, entry.data_id))
            for entry in request.outputs:
                task = rules.assign_output(task, me, entry.data_name, await output_by_id(txn, entry.data_id))
            save(txn, rules.finish_assign(task))

        await run_transaction(self._kv, body)

    async def approve_task(self, caller: Caller, request: TaskIdRequest) -> None:
        me = identify(caller)

        async def body(txn: Transaction) -> None:
            save(txn, rules.approve(await task_by_id(txn, request.task_id), me))

        await run_transaction(self._kv, body)

    async def invoke_task(self, caller: Caller, request: TaskIdRequest) -> None:
        """Stage the task: in one atomic commit, save it as Staged, enqueue it and count the use."""
        me = identify(caller)

        async def body(txn: Transaction) -> None:
            task = await task_by_id(txn, request.task_id)
            if task.creator != me.user_id:
                raise PermissionDenied()
            function = await load(txn, task.function_id.key, Function)
            if function is None:
                raise InvalidFunctionId()
            usage = await usage_of(txn, function)
            if usage is None:
                raise InvalidFunctionId()
            rules.check_usable(function)
            rules.check_quota(function, usage.use_numbers)
            rules.check_stageable(task)
            staged = rules.staged_task(task, function)
            save(txn, dataclasses.replace(task, status=TaskStatus.Staged))
            txn.enqueue(STAGED_TASK_QUEUE, staged.to_bytes())
            save(txn, FunctionUsage(usage.function_id, usage.use_numbers + 1))

        await run_transaction(self._kv, body)

    async def cancel_task(self, caller: Caller, request: TaskIdRequest) -> None:
        """Creator or admin. Before staging: Canceled at once. Staged/Running: a request on
        ``cancel_queue`` and nothing else; the scheduler stops the run and marks the task Canceled.
        """
        me = identify(caller)

        async def body(txn: Transaction) -> None:
            task = await task_by_id(txn, request.task_id)
            if not (me.is_admin or task.creator == me.user_id):
                raise PermissionDenied()
            canceled = rules.cancel(task)
            if canceled is None:
                txn.enqueue(CANCEL_QUEUE, task.to_bytes())
            else:
                save(txn, canceled)

        await run_transaction(self._kv, body)
