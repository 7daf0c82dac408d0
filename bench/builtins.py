"""Builtin training on a generated 100,000-row data set: through ``BuiltinExecutor.run`` (warm
worker process, pipe, limits) beside the same builtin called directly in this process.

Logistic regression: 10 features, 100 iterations. GBDT (LAD, depth 4): 4 features, labels 1..3, 20 trees.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from teahouse.executors import Invocation
from teahouse.executors.builtin import BuiltinExecutor
from teahouse.functions import run_builtin

ROWS = 100_000

CASES: dict[str, tuple[str, int, dict[str, Any], str]] = {
    "logistic regression": (
        "builtin-logistic-regression-train",
        10,
        {"alg_alpha": 0.1, "alg_iters": 100, "feature_size": 10},
        "model_file",
    ),
    "gbdt (LAD)": (
        "builtin-gbdt-train",
        4,
        {
            "feature_size": 4, "max_depth": 4, "iterations": 20, "shrinkage": 0.1,
            "feature_sample_ratio": 1.0, "data_sample_ratio": 1.0, "min_leaf_size": 1, "loss": "LAD",
            "training_optimization_level": 2,
        },
        "trained_model",
    ),
}  # fmt: skip


def generate(path: Path, features: int, classes: int) -> None:
    """Gaussian features; a noisy linear score cut into ``classes`` labels (0/1, or 1..3)."""
    rng = random.Random(2026)
    lines = []
    for _ in range(ROWS):
        row = [rng.gauss(0.0, 1.0) for _ in range(features)]
        score = row[0] + 0.5 * row[1] + rng.gauss(0.0, 0.3)
        label = float(score > 0) if classes == 2 else 1.0 + (score > -0.5) + (score > 0.7)
        lines.append(",".join(f"{v:.6f}" for v in row) + f",{label}\n")
    path.write_text("".join(lines))


def agreement(first: str, second: str) -> str:
    """Byte-identical models, or how far apart their parameters are (BLAS threads differ)."""
    if first == second:
        return "same model, byte for byte"
    a, b = json.loads(first)["parameters"], json.loads(second)["parameters"]
    worst = max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b, strict=True))
    return f"models differ by at most {worst:.1e} (relative)"


def direct(name: str, args: dict[str, Any], data: Path, output: str, out_dir: Path) -> float:
    start = time.perf_counter()
    run_builtin(name, arguments=args, inputs={"training_data": data}, outputs={output: out_dir / "direct"})
    return time.perf_counter() - start


async def through_executor(
    executor: BuiltinExecutor, name: str, args: dict[str, Any], data: Path, output: str, out_dir: Path
) -> float:
    invocation = Invocation(
        task_id="bench",
        function_name=name,
        payload=b"",
        arguments=args,
        inputs={"training_data": data},
        outputs={output: out_dir / "executor"},
    )
    start = time.perf_counter()
    await executor.run(invocation)
    return time.perf_counter() - start


async def run_all(work: Path) -> None:
    executor = BuiltinExecutor(warm_workers=1)
    await executor.start()
    try:
        print(f"{'builtin':<22}{'direct s':>10}{'executor s':>12}{'ratio':>8}")
        for label, (name, features, args, output) in CASES.items():
            data = work / f"{name}.csv"
            generate(data, features, 2 if "logistic" in name else 3)
            plain = direct(name, args, data, output, work)
            isolated = await through_executor(executor, name, args, data, output, work)
            print(f"{label:<22}{plain:>10.2f}{isolated:>12.2f}{isolated / plain:>8.2f}")
            print(f"{'':<22}{agreement((work / 'direct').read_text(), (work / 'executor').read_text())}")
    finally:
        await executor.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        asyncio.run(run_all(Path(work)))


if __name__ == "__main__":
    main()
