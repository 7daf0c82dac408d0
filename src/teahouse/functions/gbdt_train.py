"""``builtin-gbdt-train``: train a gbdt-rs 0.1 model on ``training_data``, write it to ``trained_model``."""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import F32, F64, STRING, U8, U32, UINT, arg
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._gbdt_model import LOSS_VARIANTS, Config
from teahouse.functions._numeric import read_rows, split_fields
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-gbdt-train"


@dataclass(frozen=True)
class GbdtTrainArguments:
    feature_size: int = arg(UINT)
    max_depth: int = arg(U32)
    iterations: int = arg(UINT)
    shrinkage: float = arg(F32)
    feature_sample_ratio: float = arg(F64)
    data_sample_ratio: float = arg(F64)
    min_leaf_size: int = arg(UINT)
    loss: str = arg(STRING)
    training_optimization_level: int = arg(U8)


def config_from(args: GbdtTrainArguments, rt: FunctionRuntime[GbdtTrainArguments]) -> Config:
    loss = LOSS_VARIANTS.get(args.loss)
    if loss is None:
        # gbdt-rs falls back to SquaredError for a loss it does not know; so do we, loudly.
        rt.log.warn(f"unsupported loss {args.loss!r}, set to default(SquaredError)")
        loss = "SquaredError"
    return Config(
        feature_size=args.feature_size,
        max_depth=args.max_depth,
        iterations=args.iterations,
        shrinkage=args.shrinkage,
        feature_sample_ratio=args.feature_sample_ratio,
        data_sample_ratio=args.data_sample_ratio,
        min_leaf_size=args.min_leaf_size,
        loss=loss,
        debug=False,
        initial_guess_enabled=False,
        training_optimization_level=min(args.training_optimization_level, 2),
    )


def run(rt: FunctionRuntime[GbdtTrainArguments]) -> str:
    args = rt.args
    require_extra(NAME, "ml")
    import numpy as np

    from teahouse.functions import _gbdt_fit, _gbdt_infer

    conf = config_from(args, rt)
    lines: list[str] = []
    rows = read_rows(rt, "training_data", args.feature_size + 1, lines=lines)
    if not rows:
        raise FunctionError("input training_data has no lines: nothing to train on")
    data = _gbdt_infer.exact_f32(np.asarray(rows), lambda i, j: split_fields(lines[i], trim_fields=False)[j])
    if np.isnan(data).any():
        line = int(np.argmax(np.isnan(data).any(axis=1))) + 1
        raise FunctionError(f"input training_data line {line}: NaN cannot be ordered for training")
    model = _gbdt_fit.fit(np.ascontiguousarray(data[:, :-1]), np.ascontiguousarray(data[:, -1]), conf)
    with rt.create_output("trained_model") as output:
        output.write(model.to_json().encode())
    return f"Trained {len(rows)} lines of data."


BUILTIN = Builtin(NAME, GbdtTrainArguments, run, "teaclave_function::gbdt_train", "ml")
