"""``builtin-logistic-regression-train``: rusty-machine's logistic regression, by gradient descent.

Each line of ``training_data`` holds ``feature_size`` features and a last column label. The model
(``{"alpha":..,"iters":..,"parameters":[bias, w1, ...]}``) goes to ``model_file``.
"""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import F64, UINT, arg
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._numeric import read_rows
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._rustfmt import json_f64

NAME = "builtin-logistic-regression-train"


@dataclass(frozen=True)
class LogisticTrainArguments:
    alg_alpha: float = arg(F64)
    alg_iters: int = arg(UINT)
    feature_size: int = arg(UINT)


def model_json(alpha: float, iters: int, parameters: list[float]) -> str:
    values = ",".join(json_f64(value) for value in parameters)
    return f'{{"alpha":{json_f64(alpha)},"iters":{iters},"parameters":[{values}]}}'


def run(rt: FunctionRuntime[LogisticTrainArguments]) -> str:
    args = rt.args
    require_extra(NAME, "ml")
    from teahouse.functions import _linear

    rows = read_rows(rt, "training_data", args.feature_size + 1)
    if not rows:
        raise FunctionError("input training_data has no lines: nothing to train on")
    parameters = _linear.train_logistic(rows, args.alg_alpha, args.alg_iters)
    with rt.create_output("model_file") as output:
        output.write(model_json(args.alg_alpha, args.alg_iters, parameters).encode())
    return f"Trained {len(rows)} lines of data."


BUILTIN = Builtin(NAME, LogisticTrainArguments, run, "teaclave_function::logistic_regression_train", "ml")
