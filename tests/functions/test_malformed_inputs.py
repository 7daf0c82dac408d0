"""Malformed inputs fail with a reason naming the input and the line (never a crash)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functions.conftest import Files, call, failure
from tests.functions.test_bad_arguments import GBDT_ARGS, JOIN_ARGS

LR_ARGS = {"alg_alpha": 0.3, "alg_iters": 3, "feature_size": 2}
PCA_ARGS = {"n": 1, "center": True, "feature_size": 2}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1.0,2.0,3.0\n\n1.0,2.0,3.0\n", "input training_data line 2: Empty line"),
        (
            "1.0,2.0,3.0\n1.0,2.0\n",
            "input training_data line 2: Data format error: column len = 2, expected = 3",
        ),
        ("1.0,x,3.0\n", "input training_data line 1 column 2: invalid float literal: 'x'"),
        ("1.0, 2.0,3.0\n", "input training_data line 1 column 2: invalid float literal: ' 2.0'"),
        ("1_0,2.0,3.0\n", "input training_data line 1 column 1: invalid float literal"),
        (b"1.0,2.0,3.0\n\xff\n", "input training_data line 2: stream did not contain valid UTF-8"),
        ("", "input training_data has no lines"),
    ],
)
@pytest.mark.parametrize(
    ("name", "arguments", "output"),
    [
        ("builtin-gbdt-train", {**GBDT_ARGS, "feature_size": 2}, "trained_model"),
        ("builtin-logistic-regression-train", LR_ARGS, "model_file"),
        ("builtin_principal_components_analysis", PCA_ARGS, "output_data"),
    ],
)
def test_numeric_training_input(
    files: Files, name: str, arguments: dict[str, Any], output: str, content: str | bytes, message: str
) -> None:
    input_name = "input_data" if "principal" in name else "training_data"
    path = files.write("data", content)
    reason = failure(name, arguments, {input_name: path}, files.outputs(output))
    assert reason.startswith(message.replace("training_data", input_name))


def test_gbdt_train_rejects_nan_labels(files: Files) -> None:
    path = files.write("data", "1.0,2.0,3.0\n1.0,NaN,3.0\n")
    reason = failure(
        "builtin-gbdt-train",
        {**GBDT_ARGS, "feature_size": 2},
        {"training_data": path},
        files.outputs("trained_model"),
    )
    assert reason == "input training_data line 2: NaN cannot be ordered for training"


def test_gbdt_predict_malformed_model_and_data(files: Files) -> None:
    outputs = files.outputs("result_file")
    data = files.inputs({"data_file": "gbdt_test_data.txt"})
    bad_model = files.write("model", '{"conf": {}}')
    reason = failure("builtin-gbdt-predict", {}, {"model_file": bad_model, **data}, outputs)
    assert reason == "input model_file: not a gbdt model: missing field `conf.feature_size`"
    reason = failure("builtin-gbdt-predict", {}, {"model_file": files.write("m2", "nope"), **data}, outputs)
    assert reason.startswith("input model_file: not a gbdt model: not JSON")
    model = files.inputs({"model_file": "gbdt_expected_model.txt"})
    reason = failure(
        "builtin-gbdt-predict", {}, {**model, "data_file": files.write("d", "1,2,3,4\n1,,3,4\n")}, outputs
    )
    assert reason == "input data_file line 2: Empty feature in column 2"
    reason = failure(
        "builtin-gbdt-predict", {}, {**model, "data_file": files.write("d2", "1,2,3,4\n\n")}, outputs
    )
    assert reason == "input data_file line 2: Empty line"
    reason = failure(
        "builtin-gbdt-predict", {}, {**model, "data_file": files.write("d3", "5.0,3.0\n")}, outputs
    )
    assert reason == "input data_file line 1: the row has 2 features but tree 0 of the model uses feature 2"


def test_gbdt_predict_trims_each_feature(files: Files) -> None:
    model = files.inputs({"model_file": "gbdt_expected_model.txt"})
    data = files.write("d", " 7.7 , 2.6,6.9 ,2.3\r\n")
    call("builtin-gbdt-predict", {}, {**model, "data_file": data}, files.outputs("result_file"))
    assert files.read("result_file") == "2.0000000000\n"


def test_logistic_regression_predict_malformed(files: Files) -> None:
    outputs = files.outputs("result_file")
    model = files.inputs({"model_file": "lr_model.txt"})
    reason = failure(
        "builtin-logistic-regression-predict", {}, {**model, "data_file": files.write("d", "1,2\n")}, outputs
    )
    assert reason == "input data_file line 1: Data format error: column len = 2, expected = 30"
    for text, why in [
        ('{"parameters": null}', "Model parameter is None"),
        ('{"alpha": 1}', "input model_file: not a logistic regression model: missing field"),
        ('{"parameters": []}', "input model_file: `parameters` must be a non-empty list"),
        ("[", "input model_file: not a logistic regression model"),
    ]:
        data = files.inputs({"data_file": "lr_predict_input.txt"})
        reason = failure(
            "builtin-logistic-regression-predict", {}, {"model_file": files.write("m", text), **data}, outputs
        )
        assert reason.startswith(why)


def test_pca_rejects_more_components_than_features(files: Files) -> None:
    path = files.write("data", "1,2,0\n3,4,0\n5,7,1\n")
    reason = failure(
        "builtin_principal_components_analysis",
        {**PCA_ARGS, "n": 3},
        {"input_data": path},
        files.outputs("output_data"),
    )
    assert reason.startswith("argument `n` is 3, expected 1..2")


@pytest.mark.parametrize(
    ("psi1", "message"),
    [
        ("00\n0g\n", "input input_data1 line 2: Invalid character 'g' at position 1"),
        ("00\n012\n", "input input_data1 line 2: Odd number of digits"),
        ("01\n00\n", "Invalid ordering: input input_data1 line 2 is out of ascending order"),
        ("00\n 01\n", "input input_data1 line 2: Invalid character ' ' at position 0"),
    ],
)
def test_ordered_set_intersect_malformed(files: Files, psi1: str, message: str) -> None:
    inputs = {"input_data1": files.write("a", psi1), **files.inputs({"input_data2": "psi1.txt"})}
    reason = failure(
        "builtin-ordered-set-intersect",
        {"order": "ascending"},
        inputs,
        files.outputs("output_result1", "output_result2"),
    )
    assert reason == message


def test_ordered_set_intersect_descending_and_equal_neighbours(files: Files) -> None:
    inputs = {
        "input_data1": files.write("a", "ff\nff\n0a\n"),
        "input_data2": files.write("b", "FF\n0b\n0A\n"),
    }
    outcome = call(
        "builtin-ordered-set-intersect",
        {"order": "desending"},
        inputs,
        files.outputs("output_result1", "output_result2"),
    )
    assert outcome.return_value == "2 common items"
    assert (files.read("output_result1"), files.read("output_result2")) == ("101", "101")


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        ("", "1,a\n", "input1 is empty"),
        ("1,a\n", "\n\n", "input2 is empty"),
        (
            "1,a\n2,b,c\n",
            "1,x\n2,y\n",
            "input input_data1 line 2: CSV error: found record with 3 fields, but the "
            "previous record has 2 fields",
        ),
        (
            "1,a\n",
            "1\n",
            "invalid index: argument `right_column` is 1 but input input_data2 line 1 has 1 columns",
        ),
        (b"1,a\n\xfe,b\n", "1,x\n2,y\n", "input input_data1 line 2: invalid UTF-8 in CSV data"),
    ],
)
def test_ordered_set_join_malformed(files: Files, left: str | bytes, right: str, message: str) -> None:
    inputs = {"input_data1": files.write("l", left), "input_data2": files.write("r", right)}
    reason = failure(
        "builtin-ordered-set-join",
        {**JOIN_ARGS, "right_column": 1 if "index" in message else 0},
        inputs,
        files.outputs("output_result"),
    )
    assert reason.startswith(message)


def test_ordered_set_join_keeps_key_quotes_and_descending_order(files: Files) -> None:
    inputs = {
        "input_data1": files.write("l", 'c,"x, y"\nb,2\na,3\n'),
        "input_data2": files.write("r", "c,9\na,7\n"),
    }
    args = {**JOIN_ARGS, "ascending": False, "drop": False}
    assert (
        call("builtin-ordered-set-join", args, inputs, files.outputs("output_result")).return_value
        == "2 records"
    )
    assert files.read("output_result") == 'c,"x, y",9\na,3,7\n'


def test_private_join_skips_lines_it_cannot_parse(files: Files) -> None:
    inputs = {
        "input_data0": files.write("0", "a : 1\nb: x\n:\nc:1:2\nd : 4294967296\n e:+5 \r\n"),
        "input_data1": files.write("1", "a:2\ne:5\nd:1\n"),
    }
    outcome = call(
        "builtin-private-join-and-compute",
        {"num_user": 2},
        inputs,
        files.outputs("output_data0", "output_data1"),
    )
    assert outcome.return_value == "2 users join the task in total."
    assert files.read("output_data0") == files.read("output_data1") == "a, 3\ne, 10\n"


def test_private_join_rejects_non_utf8(files: Files) -> None:
    inputs = {"input_data0": files.write("0", b"a:1\n\xff:2\n"), "input_data1": files.write("1", "a:2\n")}
    reason = failure(
        "builtin-private-join-and-compute",
        {"num_user": 2},
        inputs,
        files.outputs("output_data0", "output_data1"),
    )
    assert reason == "input input_data0 line 2: stream did not contain valid UTF-8"


def test_password_check_inputs(files: Files) -> None:
    exposed = files.inputs({"exposed_passwords": "exposed_passwords.txt"})
    assert (
        call(
            "builtin-password-check", {}, {"password": files.write("p", "  letmein\u3000\r\nrest"), **exposed}
        ).return_value
        == "false"
    )
    assert (
        call(
            "builtin-password-check", {}, {"password": files.write("q", " qwerty \n\xff"), **exposed}
        ).return_value
        == "true"
    )
    reason = failure("builtin-password-check", {}, {"password": files.write("e", ""), **exposed})
    assert reason.startswith("input password is empty")
    bad = {"password": files.write("p2", "x\n"), "exposed_passwords": files.write("x", b"a\n\xc3\n")}
    assert (
        failure("builtin-password-check", {}, bad)
        == "input exposed_passwords line 2: stream did not contain valid UTF-8"
    )


def test_rsa_sign_rejects_bad_keys(files: Files) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    reason = failure("builtin-rsa-sign", {"data": "d"}, {"rsa_key": files.write("k", b"not a key")})
    assert reason.startswith("input rsa_key: not a DER RSA private key")
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    assert failure("builtin-rsa-sign", {"data": "d"}, {"rsa_key": files.write("s", small)}) == (
        "input rsa_key: a 1024-bit key is outside 2048..8192 bits"
    )
    curve = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert failure("builtin-rsa-sign", {"data": "d"}, {"rsa_key": files.write("e", curve)}) == (
        "input rsa_key: the key is not an RSA key"
    )
