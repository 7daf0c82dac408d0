"""``builtin-logistic-regression-predict``: sigmoid(bias + w.x) of each line, ``%.4f`` per line."""

from __future__ import annotations

import json
import math
from typing import Any

from teahouse.functions._args import NoArguments
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._numeric import read_rows
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-logistic-regression-predict"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def load_parameters(data: bytes) -> list[float]:
    try:
        model: Any = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise FunctionError(f"input model_file: not a logistic regression model: {error}") from None
    if not isinstance(model, dict) or "parameters" not in model:
        raise FunctionError("input model_file: not a logistic regression model: missing field `parameters`")
    parameters = model["parameters"]
    if parameters is None:
        raise FunctionError("Model parameter is None: input model_file has no trained parameters")
    if (
        not isinstance(parameters, list)
        or not parameters
        or not all(_is_number(p) for p in parameters)
    ):
        raise FunctionError("input model_file: `parameters` must be a non-empty list of finite numbers")
    return [float(p) for p in parameters]


def _format(value: float) -> str:
    return "NaN" if math.isnan(value) else f"{value:.4f}"


def run(rt: FunctionRuntime[NoArguments]) -> str:
    require_extra(NAME, "ml")
    from teahouse.functions import _linear

    parameters = load_parameters(rt.read_input("model_file"))
    rows = read_rows(rt, "data_file", len(parameters) - 1)
    probabilities = _linear.predict_logistic(rows, parameters)
    with rt.create_output("result_file") as output:
        output.write("".join(_format(p) + "\n" for p in probabilities).encode())
    return f"Predicted {len(probabilities)} lines of data."


BUILTIN = Builtin(NAME, NoArguments, run, "teaclave_function::logistic_regression_predict", "ml")
