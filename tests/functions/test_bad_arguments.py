"""Undecodable arguments fail with ``Cannot deserialize arguments`` plus which argument and why."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functions.conftest import Files, failure

DESERIALIZE = "Cannot deserialize arguments: "

GBDT_ARGS: dict[str, Any] = {
    "feature_size": 4,
    "max_depth": 4,
    "iterations": 2,
    "shrinkage": 0.1,
    "feature_sample_ratio": 1.0,
    "data_sample_ratio": 1.0,
    "min_leaf_size": 1,
    "loss": "LAD",
    "training_optimization_level": 2,
}
DECRYPT_ARGS = {"key": "AAAA", "nonce": "AAAA", "encrypted_data": "AAAA", "algorithm": "aes128gcm"}
JOIN_ARGS = {"left_column": 0, "right_column": 0, "ascending": True, "drop": True}


@pytest.mark.parametrize(
    ("name", "arguments", "bad", "why"),
    [
        ("builtin-echo", {}, "message", "missing argument `message`"),
        ("builtin-echo", {"message": 3}, "message", "invalid type: integer `3`, expected a string"),
        (
            "builtin-gbdt-train",
            {**GBDT_ARGS, "feature_size": "4"},
            "feature_size",
            'invalid type: string "4", expected usize',
        ),
        (
            "builtin-gbdt-train",
            {**GBDT_ARGS, "feature_size": -1},
            "feature_size",
            "invalid value: integer `-1`, expected usize",
        ),
        ("builtin-gbdt-train", {**GBDT_ARGS, "max_depth": 1 << 32}, "max_depth", "expected u32"),
        (
            "builtin-gbdt-train",
            {**GBDT_ARGS, "iterations": 2.0},
            "iterations",
            "invalid type: floating point `2.0`, expected usize",
        ),
        ("builtin-gbdt-train", {**GBDT_ARGS, "shrinkage": True}, "shrinkage", "expected f32"),
        (
            "builtin-gbdt-train",
            {**GBDT_ARGS, "training_optimization_level": 256},
            "training_optimization_level",
            "expected u8",
        ),
        ("builtin-gbdt-train", {**GBDT_ARGS, "loss": None}, "loss", "invalid type: null, expected a string"),
        (
            "builtin-logistic-regression-train",
            {"alg_alpha": "0.3", "alg_iters": 1, "feature_size": 1},
            "alg_alpha",
            "expected f64",
        ),
        (
            "builtin-logistic-regression-train",
            {"alg_alpha": 0.3, "feature_size": 1},
            "alg_iters",
            "missing argument `alg_iters`",
        ),
        (
            "builtin_principal_components_analysis",
            {"n": 2, "center": "true", "feature_size": 4},
            "center",
            "expected a boolean",
        ),
        ("builtin_online_decrypt", {**DECRYPT_ARGS, "key": [1, 2]}, "key", "expected a string"),
        ("builtin-private-join-and-compute", {"num_user": "3"}, "num_user", "expected usize"),
        ("builtin-ordered-set-join", {**JOIN_ARGS, "drop": 1}, "drop", "expected a boolean"),
        ("builtin-rsa-sign", {"data": {"x": 1}}, "data", "invalid type: a map, expected a string"),
        (
            "builtin-face-detection",
            {"image": [0, 256]},
            "image",
            "element 1: invalid value: integer `256`, expected u8",
        ),
        (
            "builtin-face-detection",
            {"image": [255, 216], "min_face_size": 20.5},
            "min_face_size",
            "expected u32",
        ),
    ],
)
def test_undecodable_argument_is_named(name: str, arguments: dict[str, Any], bad: str, why: str) -> None:
    reason = failure(name, arguments)
    assert reason.startswith(DESERIALIZE)
    assert why in reason
    if "missing" not in why:
        assert f"argument `{bad}`" in reason


def test_ordered_set_intersect_checks_arguments_after_creating_its_outputs(files: Files) -> None:
    inputs = files.inputs({"input_data1": "psi0.txt", "input_data2": "psi1.txt"})
    outputs = files.outputs("output_result1", "output_result2")
    reason = failure("builtin-ordered-set-intersect", {"order": 1}, inputs, outputs)
    assert reason.startswith(DESERIALIZE + "argument `order`")
    assert all(path.exists() for path in outputs.values())


def test_ordered_set_intersect_accepts_only_its_two_orders(files: Files) -> None:
    inputs = files.inputs({"input_data1": "psi0.txt", "input_data2": "psi1.txt"})
    outputs = files.outputs("output_result1", "output_result2")
    reason = failure("builtin-ordered-set-intersect", {"order": "descending"}, inputs, outputs)
    assert reason == "Invalid order: argument `order` is 'descending', expected 'ascending' or 'desending'"


def test_arguments_must_be_an_object() -> None:
    assert failure("builtin-echo", ["message"]) == (  # type: ignore[arg-type]
        DESERIALIZE + "the arguments are a sequence, not a JSON object"
    )


def test_unknown_keys_such_as_save_log_are_ignored(files: Files) -> None:
    from tests.functions.conftest import call

    assert call("builtin-echo", {"message": "m", "save_log": "true", "extra": [1]}).return_value == "m"


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("builtin-private-join-and-compute", {"num_user": 1}, "The demo requires at least two parties!"),
        (
            "builtin_online_decrypt",
            {**DECRYPT_ARGS, "algorithm": "aes192gcm"},
            "decryption error: argument `algorithm`",
        ),
        (
            "builtin_online_decrypt",
            {**DECRYPT_ARGS, "key": "not base64!"},
            "decryption error: argument `key` is not",
        ),
        (
            "builtin_online_decrypt",
            {**DECRYPT_ARGS, "key": "AAAAAAAAAAAAAAAAAAAAAA=="},
            "decryption error: argument `nonce` has 3 bytes",
        ),
        (
            "builtin_online_decrypt",
            {**DECRYPT_ARGS, "key": "AAAA"},
            "decryption error: argument `key` has 3 bytes",
        ),
        ("builtin-face-detection", {"image": [1, 2, 3]}, "argument `image` is not a JPEG image"),
        (
            "builtin-face-detection",
            {"image": [255, 216, 255], "min_face_size": 19},
            "argument `min_face_size` is 19",
        ),
        (
            "builtin-face-detection",
            {"image": [255, 216, 255], "window_size": 10},
            "argument `window_size` is 10",
        ),
        (
            "builtin-face-detection",
            {"image": [255, 216, 255], "pyramid_scale_factor": 1.5},
            "argument `pyramid_scale_factor` is 1.5",
        ),
        (
            "builtin-face-detection",
            {"image": [255, 216, 255], "score_thresh": 0},
            "argument `score_thresh` is 0",
        ),
        (
            "builtin-face-detection",
            {"image": [255, 216, 255], "slide_window_step_x": 0, "slide_window_step_y": 4},
            "arguments `slide_window_step_x` and `slide_window_step_y` must be positive",
        ),
        ("builtin-face-detection", {"image": [255, 216, 255, 0]}, "argument `image` could not be decoded"),
    ],
)
def test_argument_values_the_function_rejects(name: str, arguments: dict[str, Any], message: str) -> None:
    assert failure(name, arguments).startswith(message)


def test_online_decrypt_rejects_a_forged_ciphertext() -> None:
    args = {
        "key": "aqUdgZ0lJnuz9yiPkoDxMw==",
        "nonce": "AAECAwQFBgcICQoL",
        "encrypted_data": "OqMscYqxk1CshHQZulTrrDlJjS/v6BE/clWJyTerUA==",
        "algorithm": "aes128gcm",
    }
    assert failure("builtin_online_decrypt", args).startswith(
        "decryption error: the data does not authenticate"
    )


def test_unknown_function() -> None:
    assert failure("builtin-nonexistent", {}).startswith("Function not found.")


def test_unassigned_input_and_output(files: Files) -> None:
    assert failure("builtin-password-check", {}).startswith("Invalid input file identifier.")
    inputs = files.inputs({"input_data1": "psi0.txt", "input_data2": "psi1.txt"})
    reason = failure("builtin-ordered-set-intersect", {"order": "ascending"}, inputs)
    assert reason.startswith("Invalid output file identifier")
