"""Text helpers with Rust's semantics: ``str::trim``, ``BufRead::lines``, ``str::parse::<f64/f32>``.

Teaclave's builtins read their inputs with these Rust primitives; Python's own differ in small
ways (``str.strip`` also strips U+001C..U+001F, ``float`` accepts ``1_000`` and surrounding
blanks, and ``float`` → f32 rounds twice), so each is re-derived here.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from fractions import Fraction

# Unicode White_Space, the set Rust's str::trim removes.
RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


# Doubles at or above 2**128 - 2**103 round to infinity as f32 (ties go to the even infinity).
_F32_OVERFLOW = 3.4028235677973366e38


def rust_trim(text: str) -> str:
    """``str::trim``: strip Unicode White_Space from both ends."""
    return text.strip(RUST_WHITESPACE)


def split_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """``BufRead::lines`` over bytes: split on LF, drop one trailing CR, no empty last line.

    Yields ``(line_number, raw_line)`` with line numbers counted from 1.
    """
    if not data:
        return
    parts = data.split(b"\n")
    if data.endswith(b"\n"):
        parts.pop()
    for number, part in enumerate(parts, start=1):
        yield number, part[:-1] if part.endswith(b"\r") else part


def parse_f64(token: str) -> float:
    """``str::parse::<f64>``; raises ValueError with Rust's message on a malformed token.

    Python's ``float`` accepts exactly Rust's syntax plus surrounding blanks, ``_`` between digits
    and non-ASCII digits; those are refused first (a cheap test, as this runs once per number).
    """
    if token and token.isascii() and "_" not in token and not token[0].isspace() and not token[-1].isspace():
        try:
            return float(token)
        except ValueError:
            pass
    raise ValueError("invalid float literal" if token else "cannot parse float from empty string")


def parse_f32(token: str) -> float:
    """``str::parse::<f32>``: the decimal rounded once, to nearest even, into f32 (as a float)."""
    value = parse_f64(token)
    return round_f32_exact(value, token)


def to_f32(value: float) -> float:
    """Round a double to the nearest f32 (the ``as f32`` cast), returned as a Python float."""
    if value != value or abs(value) == float("inf"):
        return value
    if abs(value) >= _F32_OVERFLOW:
        return float("inf") if value > 0 else float("-inf")
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


def next_f32(value: float, towards: float) -> float:
    """The f32 adjacent to the f32 ``value`` in the direction of ``towards``."""
    if value == towards:
        return value
    (bits,) = struct.unpack("<I", struct.pack("<f", value))
    if value == 0.0:
        bits = 1 if towards > 0 else 0x80000001
    elif (value < towards) == (value > 0):
        bits += 1
    else:
        bits -= 1
    result: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return result


def round_f32_exact(double: float, token: str) -> float:
    """Round the decimal ``token`` (already parsed to ``double``) to f32 exactly once.

    Rounding the correctly rounded double again can only go wrong when the double sits exactly
    on the midpoint of two f32 values; that case is settled with the exact decimal.
    """
    single = to_f32(double)
    if single == double or abs(single) == float("inf") or double != double:
        return single
    other = next_f32(single, double)
    if abs(other) == float("inf"):
        return single
    midpoint = (single + other) / 2
    if double != midpoint:
        return single
    exact = Fraction(token)
    if exact == Fraction(midpoint):
        return single  # a true tie: the cast already rounded to even
    above = exact > Fraction(midpoint)
    return max(single, other) if above else min(single, other)
