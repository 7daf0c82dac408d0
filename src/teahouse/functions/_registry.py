"""Name → builtin, and running one builtin to completion in the current process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teahouse.functions import (
    echo,
    face_detection,
    gbdt_predict,
    gbdt_train,
    logistic_regression_predict,
    logistic_regression_train,
    online_decrypt,
    ordered_set_intersect,
    ordered_set_join,
    password_check,
    principal_components_analysis,
    private_join_and_compute,
    rsa_sign,
)
from teahouse.functions._builtin import AnyBuiltin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionLog, FunctionRuntime

NOT_FOUND = "Function not found."

BUILTINS: Mapping[str, AnyBuiltin] = {
    module.BUILTIN.name: module.BUILTIN
    for module in (
        echo,
        gbdt_train,
        gbdt_predict,
        logistic_regression_train,
        logistic_regression_predict,
        principal_components_analysis,
        online_decrypt,
        ordered_set_intersect,
        ordered_set_join,
        private_join_and_compute,
        password_check,
        rsa_sign,
        face_detection,
    )
}


@dataclass
class BuiltinOutcome:
    """What a successful builtin run produced besides its output files."""

    return_value: str
    log: list[str] = field(default_factory=list)


def lookup(name: str) -> AnyBuiltin:
    try:
        return BUILTINS[name]
    except KeyError:
        raise FunctionError(f"{NOT_FOUND} (no builtin named {name!r})") from None


def run_builtin(
    name: str,
    *,
    arguments: Mapping[str, Any],
    inputs: Mapping[str, Path],
    outputs: Mapping[str, Path],
    save_log: bool = False,
    output_limit: int | None = None,
) -> BuiltinOutcome:
    """Run builtin ``name`` here and now; raise FunctionError (with ``log`` set) on failure."""
    builtin = lookup(name)
    log = FunctionLog(builtin.log_target, save_log)
    runtime: FunctionRuntime[Any] = FunctionRuntime(
        arguments=arguments,
        argument_type=builtin.arguments,
        inputs=inputs,
        outputs=outputs,
        log=log,
        output_limit=output_limit,
    )
    try:
        return_value = builtin.run(runtime)
    except FunctionError as error:
        error.log = log.lines
        raise
    return BuiltinOutcome(return_value, log.lines)
