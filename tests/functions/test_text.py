"""Rust's text primitives: trim, lines, float parsing."""

from __future__ import annotations

import random

import numpy as np
import pytest

from teahouse.functions._text import parse_f32, parse_f64, rust_trim, split_lines


def test_trim_uses_unicode_white_space_only() -> None:
    assert rust_trim("\u3000\t x \r\n\u2028") == "x"
    assert rust_trim("\x1cx\x1f") == "\x1cx\x1f"  # Python's str.strip would remove these


def test_lines_like_bufread() -> None:
    assert list(split_lines(b"a\r\nb\n\nc")) == [(1, b"a"), (2, b"b"), (3, b""), (4, b"c")]
    assert list(split_lines(b"a\n")) == [(1, b"a")]
    assert list(split_lines(b"")) == []
    assert list(split_lines(b"\n")) == [(1, b"")]


@pytest.mark.parametrize("token", ["1", "-1.5", "+2.", ".5", "1e5", "1E-5", "inf", "-Infinity", "NaN"])
def test_parse_accepts_rust_float_syntax(token: str) -> None:
    parse_f64(token)


@pytest.mark.parametrize("token", ["", " 1", "1 ", "1_0", "0x10", "e5", "1e", "--1", "in"])
def test_parse_rejects_what_rust_rejects(token: str) -> None:
    with pytest.raises(ValueError):
        parse_f64(token)


def test_parse_f32_rounds_once() -> None:
    # 1 + 2**-24 + 2**-60: its nearest double is the f32 midpoint 1 + 2**-24, which then rounds to
    # even (1.0); rounded once, the decimal is above the midpoint and gives 1 + 2**-23.
    token = "1.000000059604644776925783658"
    assert float(np.float32(float(token))) == 1.0
    assert parse_f32(token) == 1.0 + 2.0**-23
    assert parse_f32("1e39") == float("inf")


def test_parse_f32_agrees_with_numpy_on_ordinary_numbers() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        token = f"{rng.uniform(-1e4, 1e4):.{rng.randint(1, 12)}e}"
        assert parse_f32(token) == float(np.float32(token))
