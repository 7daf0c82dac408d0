"""Float text as serde_json (ryu) and Rust's ``{:?}`` write it."""

from __future__ import annotations

import random
import struct
from decimal import Decimal

import numpy as np
import pytest

from teahouse.functions._rustfmt import debug_f64, json_f32, json_f64
from teahouse.functions._text import to_f32


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.1, "0.1"),
        (2.45, "2.45"),
        (1.6500001, "1.6500001"),
        (0.005153656, "0.005153656"),
        (-0.005153775, "-0.005153775"),
        (1e-7, "1e-7"),
        (1.5e20, "1.5e20"),
        (123456789.0, "123456790.0"),
        (1e12, "1000000000000.0"),
        (1e13, "1e13"),
        (1.2e-6, "0.0000012"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1485376.75, "1485376.8"),
        (float("nan"), "null"),
        (float("inf"), "null"),
    ],
)
def test_json_f32(value: float, text: str) -> None:
    assert json_f32(to_f32(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.3, "0.3"),
        (1e-5, "0.00001"),
        (1e-6, "1e-6"),
        (1e16, "1e16"),
        (1.5e16, "1.5e16"),
        (123.0, "123.0"),
        (1e15, "1000000000000000.0"),
        (-0.7217673215572631, "-0.7217673215572631"),
        (2.5e-300, "2.5e-300"),
    ],
)
def test_json_f64(value: float, text: str) -> None:
    assert json_f64(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e-5, "1e-5"),
        (0.0001, "0.0001"),
        (-2.4154563605850874, "-2.4154563605850874"),
        (1e16, "1e16"),
        (100.0, "100.0"),
        (1.25e-7, "1.25e-7"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (float("nan"), "NaN"),
    ],
)
def test_debug_f64(value: float, text: str) -> None:
    assert debug_f64(value) == text


def _digits(text: str) -> tuple[tuple[int, ...], int]:
    normal = Decimal(text.replace("e+", "e")).normalize().as_tuple()
    assert isinstance(normal.exponent, int)
    return normal.digits, normal.exponent


def test_f32_digits_agree_with_an_independent_shortest_printer() -> None:
    """numpy's Dragon4 in unique mode is the reference: same digits for random f32 values."""
    rng = random.Random(20260101)
    for _ in range(3000):
        bits = rng.getrandbits(31)
        if bits >> 23 == 0xFF:
            continue
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
        if value == 0:
            continue
        assert _digits(json_f32(value)) == _digits(np.format_float_scientific(np.float32(value), unique=True))


def test_json_f32_refuses_a_double_that_is_not_an_f32() -> None:
    with pytest.raises(ValueError, match="not an f32"):
        json_f32(0.1)
