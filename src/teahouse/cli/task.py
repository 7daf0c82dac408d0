"""``teahouse task``: create, assign data, approve, invoke, follow and cancel tasks."""

from __future__ import annotations

import time
from typing import Any

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._common import err_console
from teahouse.cli._output import (
    EXIT_CODES_HELP,
    CliError,
    Group,
    b64,
    emit_json,
    fields,
    json_option,
    rows,
    say,
    show,
    text_or_none,
)
from teahouse.cli._specs import owners, pairs, task_arguments
from teahouse.sdk import (
    FrontendClient,
    PermissionDeniedError,
    SdkError,
    Task,
    TaskCanceled,
    TaskFailed,
    TaskStatus,
)

EXECUTORS = ("builtin", "mesapy", "wamr")
#: The executor that runs each function executor type (Teaclave's pairs).
_EXECUTOR_OF_TYPE = {"builtin": "builtin", "python": "mesapy", "wamr": "wamr"}


@click.group("task", cls=Group, epilog=EXIT_CODES_HELP)
def command() -> None:
    """Tasks: create, assign data, approve, invoke, show, wait, result, cancel.

    \b
    A task's life: create → assign (each data owner) → approve (each participant)
    → invoke (the creator) → Staged → Running → Finished / Failed / Canceled.
    """


@command.command("create", epilog=EXIT_CODES_HELP)
@click.argument("function_id")
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE", help="A string argument (repeatable).")
@click.option(
    "--arg-json",
    "json_args",
    multiple=True,
    metavar="KEY=JSON",
    help="An argument of any JSON type, e.g. n=3.",
)
@click.option(
    "--input", "inputs", multiple=True, metavar="NAME=USER[,USER...]", help="Who must own the input NAME."
)
@click.option(
    "--output", "outputs", multiple=True, metavar="NAME=USER[,USER...]", help="Who must own the output NAME."
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    help="Default: the one of the function's type (builtin, mesapy for python, wamr).",
)
@connection_options
@json_option
def create(
    conn: Connection,
    function_id: str,
    args: tuple[str, ...],
    json_args: tuple[str, ...],
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    executor: str | None,
    as_json: bool,
) -> None:
    """Create a task running FUNCTION_ID; print its id.

    \b
    Examples:
      teahouse task create function-6c4d… --arg message="Hello, Teaclave!"
      teahouse task create function-9a8b… --arg order=ascending \\
          --input input_data1=alice --input input_data2=bob \\
          --output output_result1=alice --output output_result2=bob
    """
    arguments = task_arguments(args, json_args)
    input_owners = owners(inputs, "--input")
    output_owners = owners(outputs, "--output")
    with conn.frontend() as frontend:
        chosen = executor or _executor_for(frontend, function_id)
        task_id = frontend.create_task(function_id, arguments, chosen, input_owners, output_owners)
    if as_json:
        emit_json({"task_id": task_id, "executor": chosen})
    else:
        say(f"Created task {task_id}")


def _executor_for(frontend: FrontendClient, function_id: str) -> str:
    try:
        function = frontend.get_function(function_id)
    except PermissionDeniedError:
        raise CliError(
            f"cannot read function {function_id} to choose its executor; give --executor"
        ) from None
    return _EXECUTOR_OF_TYPE.get(function.executor_type, function.executor_type)


@command.command("assign", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@click.option(
    "--input", "inputs", multiple=True, metavar="NAME=DATA_ID", help="Bind an input file (input-…)."
)
@click.option(
    "--output", "outputs", multiple=True, metavar="NAME=DATA_ID", help="Bind an output file (output-…)."
)
@connection_options
@json_option
def assign(
    conn: Connection, task_id: str, inputs: tuple[str, ...], outputs: tuple[str, ...], as_json: bool
) -> None:
    """Bind your registered files to the task's inputs and outputs.

    \b
    Example:
      teahouse task assign task-5e6f… --input input_data1=input-1b2c… --output output_result1=output-3d4e…
    """
    bound_inputs = pairs(inputs, "--input", "DATA_ID")
    bound_outputs = pairs(outputs, "--output", "DATA_ID")
    if not bound_inputs and not bound_outputs:
        raise click.UsageError("give at least one --input or --output")
    with conn.frontend() as frontend:
        frontend.assign_data(task_id, bound_inputs, bound_outputs)
    _done(as_json, task_id, f"Assigned {len(bound_inputs) + len(bound_outputs)} files to {task_id}")


@command.command("approve", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@connection_options
@json_option
def approve(conn: Connection, task_id: str, as_json: bool) -> None:
    """Approve a task you take part in (after all its data are assigned).

    \b
    Example:
      teahouse task approve task-5e6f…
    """
    with conn.frontend() as frontend:
        frontend.approve_task(task_id)
    _done(as_json, task_id, f"Approved {task_id}")


@command.command("invoke", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@connection_options
@json_option
def invoke(conn: Connection, task_id: str, as_json: bool) -> None:
    """Start a task you created (once its data are assigned and everyone approved).

    \b
    Example:
      teahouse task invoke task-5e6f… && teahouse task wait task-5e6f…
    """
    with conn.frontend() as frontend:
        frontend.invoke_task(task_id)
    _done(as_json, task_id, f"Invoked {task_id}; follow it with `teahouse task wait {task_id}`")


@command.command("cancel", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@connection_options
@json_option
def cancel(conn: Connection, task_id: str, as_json: bool) -> None:
    """Cancel a task (creator or PlatformAdmin); a running task is stopped.

    \b
    Example:
      teahouse task cancel task-5e6f…
    """
    with conn.frontend() as frontend:
        frontend.cancel_task(task_id)
    _done(as_json, task_id, f"Canceled {task_id}")


@command.command("show", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@connection_options
@json_option
def show_(conn: Connection, task_id: str, as_json: bool) -> None:
    """Show a task: status, participants, approvals, data, result.

    \b
    Example:
      teahouse task show task-5e6f… --json
    """
    with conn.frontend() as frontend:
        task = frontend.get_task(task_id)
    if as_json:
        emit_json(task_json(task))
    else:
        _show_task(task)


@command.command("wait", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Give up after SECONDS (exit 1); default: wait as long as it takes.",
)
@connection_options
@json_option
def wait(conn: Connection, task_id: str, timeout: float | None, as_json: bool) -> None:
    """Wait until a task ends, showing its state; exit 0 only if it finished successfully.

    \b
    Examples:
      teahouse task wait task-5e6f…
      teahouse task wait task-5e6f… --timeout 60 --json
    """
    with conn.frontend() as frontend:
        task = _wait(frontend, task_id, timeout, as_json)
    if as_json:
        emit_json(task_json(task))
    else:
        say(f"{task.task_id} {task.status.name}")


class _Progress:
    """The spinner's text: the task's current state and how long we have been waiting (re-rendered live)."""

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        self.state = "connecting…"
        self.started = time.monotonic()

    def __call__(self, task: Task) -> None:
        self.state = task.status.name

    def __rich__(self) -> str:
        return f"{self.task_id}: {self.state} ({time.monotonic() - self.started:.0f} s)"


def _wait(frontend: FrontendClient, task_id: str, timeout: float | None, as_json: bool) -> Task:
    """``wait_task`` under a spinner showing the state; with --json an ended task is printed anyway."""
    progress = _Progress(task_id)
    status = err_console.status(progress) if err_console.is_terminal else None
    try:
        if status is not None:
            with status:
                return frontend.wait_task(task_id, timeout=timeout, progress=progress)
        return frontend.wait_task(task_id, timeout=timeout, progress=progress)
    except (TaskFailed, TaskCanceled) as exc:
        if as_json:
            emit_json(task_json(exc.task))
        raise
    except TimeoutError as exc:
        if isinstance(exc, SdkError):  # the platform did not answer: not the task's timeout
            raise
        raise CliError(
            f"{exc}; wait again with a longer --timeout, or stop it with `teahouse task cancel {task_id}`"
        ) from None


@command.command("result", epilog=EXIT_CODES_HELP)
@click.argument("task_id")
@click.option(
    "--wait",
    "wait_for",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Wait up to SECONDS for the task to end; default: fail if it has not ended.",
)
@connection_options
@json_option
def result(conn: Connection, task_id: str, wait_for: float | None, as_json: bool) -> None:
    """Print the return value of an ended task (and, with --json, its output tags and log).

    \b
    Examples:
      teahouse task result task-5e6f…
      teahouse task result task-5e6f… --wait 60
    """
    with conn.frontend() as frontend:
        if wait_for is not None:
            task = _wait(frontend, task_id, wait_for, as_json)
        else:
            task = frontend.get_task(task_id)
            if not task.ended:
                raise CliError(
                    f"task {task_id} has not ended yet (status {task.status.name}); "
                    f"run `teahouse task wait {task_id}` or add --wait SECONDS"
                )
    outcome = task.result
    if task.status is not TaskStatus.Finished or outcome is None or not outcome.ok:
        if as_json:
            emit_json(task_json(task))
        reason = outcome.reason if outcome is not None else ""
        raise CliError(f"task {task_id} ended {task.status.name} without a result: {reason}")
    if as_json:
        emit_json(task_json(task))
    else:
        click.echo(text_or_none(outcome.return_value) or outcome.return_value.hex())


def task_json(task: Task) -> dict[str, Any]:
    outcome: dict[str, Any] | None = None
    if task.result is not None:
        value = task.result.return_value
        outcome = {
            "ok": task.result.ok,
            "return_value": text_or_none(value),
            "return_value_base64": b64(value),
            "tags": {name: tag.hex() for name, tag in sorted(task.result.tags.items())},
            "log": list(task.result.log),
            "reason": task.result.reason,
        }
    return {
        "task_id": task.task_id,
        "status": task.status.name,
        "creator": task.creator,
        "function_id": task.function_id,
        "function_owner": task.function_owner,
        "arguments": dict(task.function_arguments),
        "inputs_ownership": {o.data_name: sorted(o.uids) for o in task.inputs_ownership},
        "outputs_ownership": {o.data_name: sorted(o.uids) for o in task.outputs_ownership},
        "participants": sorted(task.participants),
        "approved_users": sorted(task.approved_users),
        "assigned_inputs": {d.data_name: d.data_id for d in task.assigned_inputs},
        "assigned_outputs": {d.data_name: d.data_id for d in task.assigned_outputs},
        "result": outcome,
    }


def _show_task(task: Task) -> None:
    if len(task.participants) == 1:
        waiting: object = "(nobody: a single participant needs no approval)"
    elif task.status in (TaskStatus.Created, TaskStatus.DataAssigned):
        waiting = sorted(task.participants - task.approved_users)
    else:
        waiting = None
    summary: list[tuple[str, object]] = [
        ("task id", task.task_id),
        ("status", task.status.name),
        ("function", task.function_id),
        ("function owner", task.function_owner),
        ("creator", task.creator),
        ("arguments", ", ".join(f"{k}={v!r}" for k, v in sorted(task.function_arguments.items())) or None),
        ("participants", sorted(task.participants)),
        ("approved", sorted(task.approved_users)),
        ("awaiting approval", waiting),
    ]
    if task.result is not None:
        if task.result.ok:
            value = task.result.return_value
            summary.append(("return value", text_or_none(value) or f"(binary) {value.hex()}"))
        else:
            summary.append(("failure", task.result.reason))
    show(fields(summary, title=f"Task {task.status.name}"))
    assigned = {d.data_name: d.data_id for d in (*task.assigned_inputs, *task.assigned_outputs)}
    for title, ownership in (("Inputs", task.inputs_ownership), ("Outputs", task.outputs_ownership)):
        if ownership:
            data = [[o.data_name, sorted(o.uids), assigned.get(o.data_name)] for o in ownership]
            show(rows(["name", "owners", "assigned"], data, title=title, ids=("assigned",)))


def _done(as_json: bool, task_id: str, text: str) -> None:
    if as_json:
        emit_json({"ok": True, "task_id": task_id})
    else:
        say(text)
