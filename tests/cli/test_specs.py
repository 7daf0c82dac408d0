"""The compact option values: ``KEY=DEFAULT:fixed``, ``NAME:optional``, ``NAME=USER,USER``, ``KEY=JSON``."""

from __future__ import annotations

import click
import pytest

from teahouse.cli._specs import (
    function_argument,
    function_input,
    function_output,
    hex_bytes,
    owners,
    pairs,
    task_arguments,
)
from teahouse.sdk import FunctionArgument, FunctionInput, FunctionOutput


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("message", FunctionArgument("message", "", True)),
        ("order=ascending", FunctionArgument("order", "ascending", True)),
        ("mode:fixed", FunctionArgument("mode", "", False)),
        ("mode=train:fixed", FunctionArgument("mode", "train", False)),
        ("url=http://a:80/x", FunctionArgument("url", "http://a:80/x", True)),
        ("eq=a=b", FunctionArgument("eq", "a=b", True)),
    ],
)
def test_function_arguments(spec: str, expected: FunctionArgument) -> None:
    assert function_argument(spec) == expected


def test_inputs_and_outputs() -> None:
    assert function_input("training_data") == FunctionInput("training_data")
    assert function_input("extra:optional") == FunctionInput("extra", optional=True)
    assert function_output("model:optional") == FunctionOutput("model", optional=True)


@pytest.mark.parametrize("bad", ["", "=x", ":fixed"])
def test_an_argument_needs_a_key(bad: str) -> None:
    with pytest.raises(click.BadParameter, match="KEY"):
        function_argument(bad)


def test_an_input_needs_a_name() -> None:
    with pytest.raises(click.BadParameter, match="NAME"):
        function_input(":optional")


def test_owners_split_on_commas() -> None:
    assert owners(["in1=alice", "in2=alice, bob"], "--input") == {"in1": ["alice"], "in2": ["alice", "bob"]}
    with pytest.raises(click.BadParameter, match="names no user"):
        owners(["in1=,"], "--input")
    with pytest.raises(click.BadParameter, match="given twice"):
        owners(["in1=a", "in1=b"], "--input")
    with pytest.raises(click.BadParameter, match="NAME="):
        pairs(["in1"], "--input", "DATA_ID")


def test_task_arguments_are_strings_unless_json() -> None:
    got = task_arguments(["message=Hello, Teaclave!", "n=3"], ["k=3", "flags=[true, null]", 's="x"'])
    assert got == {"message": "Hello, Teaclave!", "n": "3", "k": 3, "flags": [True, None], "s": "x"}
    with pytest.raises(click.BadParameter, match="not JSON"):
        task_arguments([], ["k=nope"])
    with pytest.raises(click.BadParameter, match="by --arg too"):
        task_arguments(["k=1"], ["k=1"])


def test_hex_errors_do_not_echo_the_value() -> None:
    assert hex_bytes("00ff", "--key") == b"\x00\xff"
    with pytest.raises(click.BadParameter) as caught:
        hex_bytes("secret-key", "--key")
    assert "secret" not in caught.value.format_message()
