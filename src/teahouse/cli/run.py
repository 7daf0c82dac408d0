"""``teahouse run FILE``: run a function on a standalone executor and get its result back."""

from __future__ import annotations

import os
from pathlib import Path

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._output import (
    EXIT_CODES_HELP,
    CliError,
    Command,
    b64,
    emit_json,
    json_option,
    say,
    text_or_none,
)
from teahouse.cli._specs import pairs, task_arguments

DEFAULT_EXECUTOR = "localhost:17871"


@click.command("run", cls=Command, epilog=EXIT_CODES_HELP)
@click.argument("payload", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE", help="A string argument (repeatable).")
@click.option(
    "--arg-json",
    "json_args",
    multiple=True,
    metavar="KEY=JSON",
    help="An argument of any JSON type (repeatable).",
)
@click.option("--input", "inputs", multiple=True, metavar="NAME=PATH", help="An input file, by data name.")
@click.option("--output", "outputs", multiple=True, metavar="NAME=PATH", help="Where to write an output.")
@click.option(
    "--executor-type",
    type=click.Choice(["python", "wamr", "builtin"]),
    default="python",
    show_default=True,
    help="What PAYLOAD is (for builtin, PAYLOAD names a file holding the builtin's name).",
)
@click.option(
    "--executor",
    "address",
    default=lambda: os.environ.get("TEAHOUSE_EXECUTOR", DEFAULT_EXECUTOR),
    show_default=f"$TEAHOUSE_EXECUTOR or {DEFAULT_EXECUTOR}",
    metavar="HOST:PORT",
    help="The standalone executor (`teahouse executor serve`).",
)
@click.option("--log", "save_log", is_flag=True, help="Capture and print the function's log lines.")
@click.option("--timeout", type=click.FloatRange(min=1), default=300.0, show_default=True, help="Seconds.")
@connection_options
@json_option
def command(
    conn: Connection,
    payload: Path,
    args: tuple[str, ...],
    json_args: tuple[str, ...],
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    executor_type: str,
    address: str,
    save_log: bool,
    timeout: float,
    as_json: bool,
) -> None:
    """Run PAYLOAD on a standalone TEE executor, after verifying it, and print its return value.

    PAYLOAD is Python source defining `entrypoint(argv)` (Teaclave's MesaPy contract: argv is the
    arguments flattened as key, value, ... sorted by key; files open with `teaclave_open(name,
    "rb"|"wb")`), or a WebAssembly module with --executor-type wamr. Inputs and outputs travel
    inside the attested connection; outputs are written to the given paths.

    \b
    Examples:
      teahouse run echo.py --trust ./trust --arg message=hello
      teahouse run count_lines.py --trust ./trust --input data=rows.csv --output result=out.txt
      teahouse run add.wasm --executor-type wamr --trust ./trust --arg adder1=3 --arg adder2=4
      teahouse run train.py --trust ./trust --arg-json iterations=100 --input data=train.csv
    """
    from teahouse.sdk import ExecutorClient, RunFailed

    arguments = task_arguments(args, json_args)
    input_paths = {name: Path(p) for name, p in pairs(inputs, "--input", "PATH").items()}
    output_paths = {name: Path(p) for name, p in pairs(outputs, "--output", "PATH").items()}
    for name, path in input_paths.items():
        if not path.is_file():
            raise CliError(f"input {name}: {path} does not exist")
    code = payload.read_bytes()
    function_name = code.decode().strip() if executor_type == "builtin" else ""
    with ExecutorClient(
        address, conn.trust(), timeout=timeout, connect_timeout=conn.connect_timeout
    ) as client:
        try:
            result = client.run(
                b"" if executor_type == "builtin" else code,
                arguments=arguments,
                inputs=input_paths,
                outputs=list(output_paths),
                executor_type=executor_type,
                function_name=function_name,
                save_log=save_log,
            )
        except RunFailed as exc:
            for line in exc.log:
                click.echo(line, err=True)
            raise CliError(f"the function failed: {exc.reason}") from None
    for name, path in output_paths.items():
        if name in result.outputs:
            path.write_bytes(result.outputs[name])
    if as_json:
        emit_json(
            {
                "return_value": text_or_none(result.return_value),
                "return_value_base64": b64(result.return_value),
                "outputs": {name: str(output_paths[name]) for name in result.outputs},
                "log": list(result.log),
            }
        )
        return
    for line in result.log:
        say(line)
    missing = [name for name in output_paths if name not in result.outputs]
    if missing:
        say(f"(the function wrote no {', '.join(missing)})")
    click.echo(text_or_none(result.return_value) or b64(result.return_value))
