"""How ``teahouse function`` presents a function: its JSON object and its tables."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from rich.table import Table

from teahouse.cli._output import fields, rows, show
from teahouse.sdk import Function, FunctionArgument, FunctionInput, FunctionOutput


def summary_json(function: Function | None) -> dict[str, Any] | None:
    if function is None:
        return None
    return {"name": function.name, "executor_type": function.executor_type, "public": function.public}


def summary_row(function: Function | None) -> list[object]:
    if function is None:
        return ["(not readable)", None, None]
    return [function.name, function.executor_type, function.public]


def function_json(function: Function) -> dict[str, Any]:
    return {
        "function_id": function.function_id,
        "name": function.name,
        "description": function.description,
        "executor_type": function.executor_type,
        "owner": function.owner,
        "public": function.public,
        "arguments": [
            {"key": a.key, "default_value": a.default_value, "allow_overwrite": a.allow_overwrite}
            for a in function.arguments
        ],
        "inputs": [
            {"name": i.name, "description": i.description, "optional": i.optional} for i in function.inputs
        ],
        "outputs": [
            {"name": o.name, "description": o.description, "optional": o.optional} for o in function.outputs
        ],
        "user_allowlist": list(function.user_allowlist),
        "payload_size": len(function.payload),
        "payload_sha256": _sha256(function.payload),
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _arguments_table(arguments: Sequence[FunctionArgument]) -> Table:
    return rows(
        ["argument", "default", "tasks may override"],
        [[a.key, repr(a.default_value) if a.default_value else None, a.allow_overwrite] for a in arguments],
    )


def _data_table(inputs: Sequence[FunctionInput], outputs: Sequence[FunctionOutput]) -> Table:
    data = [["input", i.name, i.optional, i.description] for i in inputs]
    data += [["output", o.name, o.optional, o.description] for o in outputs]
    return rows(["kind", "name", "optional", "description"], data)


def show_function(function: Function) -> None:
    show(
        fields(
            [
                ("function id", function.function_id),
                ("name", function.name),
                ("description", function.description),
                ("executor type", function.executor_type),
                ("owner", function.owner),
                ("public", function.public),
                ("allowed users", function.user_allowlist),
                ("payload", f"{len(function.payload)} bytes, sha256 {_sha256(function.payload)[:16]}…"),
            ],
            title=f"Function {function.name}",
        )
    )
    if function.arguments:
        show(_arguments_table(function.arguments))
    if function.inputs or function.outputs:
        show(_data_table(function.inputs, function.outputs))
