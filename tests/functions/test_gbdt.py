"""The gbdt-rs port beyond the fixture: optimisation levels, other losses, sampling, models."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest

from teahouse.functions import _gbdt_fit, _gbdt_infer
from teahouse.functions._gbdt_model import F32_MIN, Config, Model, Node, Tree, load_model
from tests.functions.conftest import FIXTURES, Files, call
from tests.functions.test_bad_arguments import GBDT_ARGS


def _train_data() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rows = np.loadtxt(FIXTURES / "gbdt_train.txt", delimiter=",", dtype=np.float32)
    return np.ascontiguousarray(rows[:, :4]), np.ascontiguousarray(rows[:, 4])


def _trees(model: Model) -> str:
    return ",".join(tree.to_json() for tree in model.trees)


@pytest.mark.parametrize("loss", ["LAD", "SquaredError", "LogLikelyhood"])
def test_optimisation_levels_grow_the_same_trees(loss: str) -> None:
    features, labels = _train_data()
    if loss == "LogLikelyhood":
        labels = np.where(labels > 2, np.float32(1), np.float32(-1))
    models = [
        _gbdt_fit.fit(
            features,
            labels,
            Config(
                feature_size=4,
                max_depth=3,
                iterations=8,
                shrinkage=0.1,
                loss=loss,
                training_optimization_level=level,
            ),
        )
        for level in (0, 1, 2)
    ]
    assert _trees(models[0]) == _trees(models[1]) == _trees(models[2])


def test_squared_error_model_fits_its_training_data() -> None:
    features, labels = _train_data()
    conf = Config(feature_size=4, max_depth=4, iterations=30, shrinkage=0.3, loss="SquaredError")
    model = _gbdt_fit.fit(features, labels, conf)
    assert model.bias == pytest.approx(float(labels.mean()), rel=1e-6)
    lengths = np.full(len(labels), 4)
    predicted = _gbdt_infer.predict(model, features, lengths)
    assert float(np.abs(predicted - labels).mean()) < 0.05


def test_model_json_round_trips_exactly() -> None:
    text = (FIXTURES / "gbdt_expected_model.txt").read_text()
    assert load_model(text.encode()).to_json() == text


def test_sampling_ratios_train_a_usable_model(files: Files) -> None:
    args = {**GBDT_ARGS, "iterations": 5, "feature_sample_ratio": 0.5, "data_sample_ratio": 0.5}
    outcome = call(
        "builtin-gbdt-train",
        args,
        files.inputs({"training_data": "gbdt_train.txt"}),
        files.outputs("trained_model"),
    )
    assert outcome.return_value == "Trained 120 lines of data."
    model = load_model(files.read("trained_model").encode())
    assert len(model.trees) == 5
    assert model.conf.feature_sample_ratio == 0.5 and model.conf.data_sample_ratio == 0.5
    used = {node.feature_index for tree in model.trees for node in tree.nodes if not node.is_leaf}
    assert used <= {0, 1, 2, 3}


def test_sampling_uses_the_random_source() -> None:
    features, labels = _train_data()
    conf = Config(
        feature_size=4, max_depth=3, iterations=4, loss="LAD", data_sample_ratio=0.5, feature_sample_ratio=0.5
    )
    first = _gbdt_fit.fit(features, labels, conf, random.Random(1)).to_json()
    assert first == _gbdt_fit.fit(features, labels, conf, random.Random(1)).to_json()


def test_unknown_loss_falls_back_to_squared_error_with_a_warning(files: Files) -> None:
    from teahouse.functions import run_builtin

    outcome = run_builtin(
        "builtin-gbdt-train",
        arguments={**GBDT_ARGS, "iterations": 1, "loss": "Huber"},
        inputs=files.inputs({"training_data": "gbdt_train.txt"}),
        outputs=files.outputs("trained_model"),
        save_log=True,
    )
    assert outcome.log == [
        "[WARN teaclave_function::gbdt_train] unsupported loss 'Huber', set to default(SquaredError)"
    ]
    assert json.loads(files.read("trained_model"))["conf"]["loss"] == "SquaredError"


def test_optimisation_level_above_two_is_clamped(files: Files) -> None:
    call(
        "builtin-gbdt-train",
        {**GBDT_ARGS, "iterations": 1, "training_optimization_level": 9},
        files.inputs({"training_data": "gbdt_train.txt"}),
        files.outputs("trained_model"),
    )
    assert json.loads(files.read("trained_model"))["conf"]["training_optimization_level"] == 2


def test_prediction_handles_missing_values_as_the_node_says() -> None:
    def stump(missing: int) -> Tree:
        return Tree(
            nodes=[
                Node(feature_index=0, feature_value=1.0, pred=5.0, missing=missing, index=0, left=1, right=2),
                Node(pred=-1.0, is_leaf=True, index=1),
                Node(pred=1.0, is_leaf=True, index=2),
            ]
        )

    rows = np.array([[F32_MIN], [0.0], [2.0]], dtype=np.float32)
    lengths = np.array([1, 1, 1])
    for missing, first in ((-1, -1.0), (0, 5.0), (1, 1.0)):
        values = _gbdt_infer.predict_tree(stump(missing), rows, lengths)
        assert values.tolist() == [first, -1.0, 1.0]


def test_predict_output_format_and_loss_transform(files: Files) -> None:
    model = json.loads((FIXTURES / "gbdt_expected_model.txt").read_text())
    model["conf"]["loss"] = "LogLikelyhood"
    path = files.write("model", json.dumps(model))
    call(
        "builtin-gbdt-predict",
        {},
        {"model_file": path, **files.inputs({"data_file": "gbdt_test_data.txt"})},
        files.outputs("result_file"),
    )
    values = [float(line) for line in files.read("result_file").splitlines()]
    assert len(values) == 30 and all(0.0 < v <= 1.0 for v in values)
    assert all(len(line.split(".")[1]) == 10 for line in files.read("result_file").splitlines())


def test_model_with_wrong_tree_count_is_refused(files: Files) -> None:
    model = json.loads((FIXTURES / "gbdt_expected_model.txt").read_text())
    model["conf"]["iterations"] = 99
    path = files.write("model", json.dumps(model))
    from tests.functions.conftest import failure

    reason = failure(
        "builtin-gbdt-predict",
        {},
        {"model_file": path, **files.inputs({"data_file": "gbdt_test_data.txt"})},
        files.outputs("result_file"),
    )
    assert reason == "input model_file: not a gbdt model: `conf.iterations` is 99 but the model has 100 trees"


def test_exact_f32_settles_double_rounding_ties() -> None:
    token = "1.000000059604644776925783658"  # its nearest double is halfway between two f32 values
    tokens = [token, "0.1", "1e39"]
    matrix = _gbdt_infer.exact_f32(np.array([[float(t) for t in tokens]]), lambda i, j: tokens[j])
    assert matrix.tolist() == [[1.0 + 2.0**-23, float(np.float32(0.1)), float("inf")]]
