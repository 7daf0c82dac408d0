"""The management half of the task state machine (spec/behaviour.md §1.4, §1.5), as pure functions.

Each function takes the current record and returns the next one, or raises the error Teaclave
returns; the checks run in Teaclave's order. A single call moves a task at most one step.
"""

from __future__ import annotations

import dataclasses
import json
import uuid

from teahouse.errors import PermissionDenied
from teahouse.model import (
    Function,
    InputFile,
    JSONValue,
    OutputFile,
    Ownership,
    StagedInput,
    StagedOutput,
    StagedTask,
    TaskFailure,
    TaskState,
    TaskStatus,
    participants_of,
)
from teahouse.services.management import _validate as check
from teahouse.services.management._caller import Principal
from teahouse.services.management.errors import (
    FunctionDisabled,
    FunctionQuotaError,
    InvalidRequest,
    InvalidTask,
    OutputAlreadyWritten,
    TaskApproveError,
    TaskAssignDataError,
    TaskCancelError,
    TaskInvokeError,
)
from teahouse.services.management.messages import CreateTaskRequest, OwnerList

EARLY_CANCEL_REASON = "Task canceled"
_EARLY_CANCELABLE = (TaskStatus.Created, TaskStatus.DataAssigned, TaskStatus.Approved)
_CANCEL_PENDING = (TaskStatus.Staged, TaskStatus.Running)


def _ownership(lists: list[OwnerList], what: str) -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    for entry in lists:
        if entry.data_name in result:
            raise InvalidRequest(f"{what}: {entry.data_name!r} is listed twice")
        result[entry.data_name] = frozenset(entry.uids)
    return result


def check_usable(function: Function) -> None:
    """Teahouse: a disabled function runs no new task, public or not (Teaclave only hid it)."""
    if function.disabled:
        raise FunctionDisabled()


def new_task(task_id: uuid.UUID, me: Principal, function: Function, request: CreateTaskRequest) -> TaskState:
    """CreateTask after the function lookup: role gate, request parsing, argument and data rules."""
    check_usable(function)
    if me.is_data_owner:
        # Teahouse: the allow-list holds user ids, so compare the user id (Teaclave: the role attribute).
        if not (function.public or me.user_id in function.user_allowlist):
            raise PermissionDenied()
    elif not me.is_admin:
        raise PermissionDenied()

    executor = check.executor(request.executor)
    requested = check.json_object(request.function_arguments, "function_arguments")
    inputs = _ownership(request.inputs_ownership, "inputs_ownership")
    outputs = _ownership(request.outputs_ownership, "outputs_ownership")

    overwritable = {a.key for a in function.arguments if a.allow_overwrite}
    if set(requested) != overwritable:
        raise InvalidTask()
    arguments: dict[str, JSONValue] = dict(requested)
    for argument in function.arguments:
        if not argument.allow_overwrite:
            arguments[argument.key] = argument.default_value

    for declared, owned in ((function.inputs, inputs), (function.outputs, outputs)):
        names = {d.name for d in declared}
        optional = {d.name for d in declared if d.optional}
        if set(owned) | optional != names:
            raise InvalidTask()

    return TaskState(
        task_id=task_id,
        creator=me.user_id,
        function_id=function.external_id,
        function_arguments=arguments,
        executor=executor,
        inputs_ownership=inputs,
        outputs_ownership=outputs,
        function_owner=function.owner,
        participants=participants_of(me.user_id, function.owner, function.public, inputs, outputs),
    )


def check_participant(task: TaskState, me: Principal) -> None:
    if me.user_id not in task.participants:
        raise PermissionDenied()


def check_assign_start(task: TaskState, me: Principal) -> None:
    check_participant(task, me)
    if task.status is not TaskStatus.Created:
        raise TaskAssignDataError()


def _check_file(
    me: Principal, name: str, owner: frozenset[str], declared: Ownership, assigned: set[str]
) -> None:
    if me.user_id not in owner or name not in declared or owner != declared[name] or name in assigned:
        raise PermissionDenied()


def assign_input(task: TaskState, me: Principal, name: str, file: InputFile) -> TaskState:
    _check_file(me, name, file.owner, task.inputs_ownership, set(task.assigned_inputs))
    return dataclasses.replace(task, assigned_inputs={**task.assigned_inputs, name: file})


def assign_output(task: TaskState, me: Principal, name: str, file: OutputFile) -> TaskState:
    _check_file(me, name, file.owner, task.outputs_ownership, set(task.assigned_outputs))
    if file.cmac is not None:
        # Teahouse: the run's upload of this output would be refused; say so now.
        raise OutputAlreadyWritten()
    return dataclasses.replace(task, assigned_outputs={**task.assigned_outputs, name: file})


def finish_assign(task: TaskState) -> TaskState:
    """After all assignments of one request: DataAssigned once every declared datum has a file."""
    return dataclasses.replace(task, status=TaskStatus.DataAssigned) if task.all_data_assigned else task


def approve(task: TaskState, me: Principal) -> TaskState:
    if not (
        task.status is TaskStatus.DataAssigned
        or (task.status is TaskStatus.Created and task.all_data_assigned)
    ):
        raise TaskApproveError()
    check_participant(task, me)
    task = dataclasses.replace(task, approved_users=task.approved_users | {me.user_id})
    status = TaskStatus.Approved if task.everyone_approved else TaskStatus.DataAssigned
    return dataclasses.replace(task, status=status)


def check_quota(function: Function, use_numbers: int) -> None:
    if function.usage_quota is not None and function.usage_quota <= use_numbers:
        raise FunctionQuotaError()


def check_stageable(task: TaskState) -> None:
    """Invoke performs the Created → DataAssigned → Approved checks implicitly."""
    if task.status is TaskStatus.Approved:
        return
    if task.status is TaskStatus.DataAssigned and task.everyone_approved:
        return
    if task.status is TaskStatus.Created and task.all_data_assigned and task.everyone_approved:
        return
    raise TaskInvokeError()


def staged_task(task: TaskState, function: Function) -> StagedTask:
    """The function as it is now, the arguments as fixed at create time, the files as assigned."""
    return StagedTask(
        task_id=task.task_id,
        user_id=task.creator,
        function_id=function.id,
        function_name=function.name,
        function_payload=function.payload,
        function_arguments=dict(task.function_arguments),
        executor=task.executor,
        executor_type=function.executor_type,
        input_data={n: StagedInput(f.url, f.cmac, f.crypto_info) for n, f in task.assigned_inputs.items()},
        output_data={n: StagedOutput(f.url, f.crypto_info) for n, f in task.assigned_outputs.items()},
    )


def cancel(task: TaskState) -> TaskState | None:
    """The canceled record, or ``None`` when the scheduler must finish it (Staged/Running)."""
    if task.status in _EARLY_CANCELABLE:
        return dataclasses.replace(task, status=TaskStatus.Canceled, result=TaskFailure(EARLY_CANCEL_REASON))
    if task.status in _CANCEL_PENDING:
        return None
    raise TaskCancelError()


def arguments_text(task: TaskState) -> str:
    """GetTask's ``function_arguments``: compact JSON, keys sorted (serde_json's map order)."""
    return json.dumps(
        dict(task.function_arguments), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
