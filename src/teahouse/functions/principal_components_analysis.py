"""``builtin_principal_components_analysis``: project rows on their first ``n`` principal axes."""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import BOOL, UINT, arg
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._numeric import read_rows
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._rustfmt import debug_f64

NAME = "builtin_principal_components_analysis"


@dataclass(frozen=True)
class PCAArguments:
    n: int = arg(UINT)
    center: bool = arg(BOOL)
    feature_size: int = arg(UINT)


def run(rt: FunctionRuntime[PCAArguments]) -> str:
    args = rt.args
    require_extra(NAME, "ml")
    from teahouse.functions import _linear

    rows = read_rows(rt, "input_data", args.feature_size + 1)
    if not rows:
        raise FunctionError("input input_data has no lines: nothing to analyse")
    if not 1 <= args.n <= min(args.feature_size, len(rows)):
        raise FunctionError(f"argument `n` is {args.n}, expected 1..{min(args.feature_size, len(rows))} "
                            "(at most feature_size and the number of rows)")
    projected = _linear.pca_transform([row[:-1] for row in rows], args.n, args.center)
    text = "".join(",".join(debug_f64(float(v)) for v in row) + "\n" for row in projected)
    with rt.create_output("output_data") as output:
        output.write(text.encode())
    rows_out, cols_out = projected.shape
    return f"transform {rows_out} rows * {cols_out} cols lines of data."


BUILTIN = Builtin(NAME, PCAArguments, run, "teaclave_function::principal_components_analysis", "ml")
