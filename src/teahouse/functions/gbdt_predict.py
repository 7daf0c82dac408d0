"""``builtin-gbdt-predict``: run a gbdt-rs model over ``data_file``, one ``%.10f`` line per row."""

from __future__ import annotations

import math

from teahouse.functions._args import NoArguments
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._gbdt_model import ModelError, load_model
from teahouse.functions._numeric import read_rows, split_fields
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-gbdt-predict"


def format_prediction(value: float) -> str:
    """Rust's ``{:.10}`` of an f32."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.10f}"


def run(rt: FunctionRuntime[NoArguments]) -> str:
    require_extra(NAME, "ml")
    from teahouse.functions import _gbdt_infer

    try:
        model = load_model(rt.read_input("model_file"))
    except ModelError as error:
        raise FunctionError(f"input model_file: not a gbdt model: {error}") from None
    lines: list[str] = []
    rows = read_rows(rt, "data_file", None, trim_fields=True, lines=lines)
    doubles, lengths = _gbdt_infer.ragged_to_matrix(rows)
    features = _gbdt_infer.exact_f32(doubles, lambda i, j: split_fields(lines[i], trim_fields=True)[j])
    try:
        predictions = _gbdt_infer.predict(model, features, lengths)
    except _gbdt_infer.ShortRow as error:
        raise FunctionError(
            f"input data_file line {error.row + 1}: the row has {lengths[error.row]} features "
            f"but tree {error.tree} of the model uses feature {error.feature}"
        ) from None
    except ModelError as error:
        raise FunctionError(f"input model_file: not a gbdt model: {error}") from None
    with rt.create_output("result_file") as output:
        output.write("".join(format_prediction(float(v)) + "\n" for v in predictions).encode())
    return f"Predict result has {len(rows)} lines of data."


BUILTIN = Builtin(NAME, NoArguments, run, "teaclave_function::gbdt_predict", "ml")
