"""Float formatting as Teaclave's Rust code writes it.

- ``json_f32`` / ``json_f64``: serde_json (ryu): shortest round-trip digits; plain notation for
  1e-5 <= |x| < 1e16 (f32: 1e-6 <= |x| < 1e13), else ``1e-7`` / ``1.5e20``; integral values end
  in ``.0``; NaN and infinities become ``null``.
- ``debug_f64``: Rust's ``{:?}``: shortest digits, exponent form below 1e-4 and from 1e16.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal
from fractions import Fraction

from teahouse.functions._text import next_f32, to_f32


def _digits_f64(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of a positive finite double as (digits, exponent): d * 10**e."""
    _, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits))
    stripped = text.rstrip("0")
    assert isinstance(exponent, int)
    return stripped, exponent + len(text) - len(stripped)


def _f32_interval(value: float) -> tuple[Fraction, Fraction, bool]:
    """The decimals that parse back to the positive f32 ``value``: (low, high, ends included)."""
    exact = Fraction(value)
    up = next_f32(value, math.inf)
    down = next_f32(value, 0.0) if value > 0 else value
    high = (exact + Fraction(up)) / 2 if up != math.inf else exact + (exact - Fraction(down)) / 2
    low = (exact + Fraction(down)) / 2
    (bits,) = struct.unpack("<I", struct.pack("<f", value))
    return low, high, bits % 2 == 0


def _digits_f32(value: float) -> tuple[str, int]:
    """Shortest digits that read back as the positive f32 ``value``, nearest among equals."""
    low, high, inclusive = _f32_interval(value)
    exact = Fraction(value)
    for precision in range(1, 10):
        mantissa_text, exp_text = f"{value:.{precision - 1}e}".split("e")
        mantissa = int(mantissa_text.replace(".", ""))
        scale = int(exp_text) - (precision - 1)
        best: tuple[Fraction, int] | None = None
        for candidate in (mantissa - 1, mantissa, mantissa + 1):
            if candidate <= 0:
                continue
            decimal = Fraction(candidate) * Fraction(10) ** scale
            inside = low < decimal < high or (inclusive and decimal in (low, high))
            distance = abs(decimal - exact)
            # Nearest wins; an exact tie goes to the even digit, as ryu does.
            closer = best is None or distance < best[0] or (distance == best[0] and candidate % 2 == 0)
            if inside and closer:
                best = (distance, candidate)
        if best is not None:
            text = str(best[1])
            stripped = text.rstrip("0")
            return stripped, scale + len(text) - len(stripped)
    raise AssertionError("an f32 always has a 9-digit representation")


def _ryu_layout(digits: str, exponent: int, plain_max: int, plain_min: int) -> str:
    length = len(digits)
    kk = length + exponent  # 10**(kk-1) <= value < 10**kk
    if exponent >= 0 and kk <= plain_max:
        return digits + "0" * exponent + ".0"
    if 0 < kk <= plain_max:
        return digits[:kk] + "." + digits[kk:]
    if plain_min < kk <= 0:
        return "0." + "0" * -kk + digits
    if length == 1:
        return f"{digits}e{kk - 1}"
    return f"{digits[0]}.{digits[1:]}e{kk - 1}"


def json_f64(value: float) -> str:
    """serde_json's text of an f64."""
    if not math.isfinite(value):
        return "null"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    digits, exponent = _digits_f64(abs(value))
    return ("-" if value < 0 else "") + _ryu_layout(digits, exponent, 16, -5)


def json_f32(value: float) -> str:
    """serde_json's text of an f32 (``value`` must already be an f32 value)."""
    if not math.isfinite(value):
        return "null"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if to_f32(magnitude) != magnitude:
        raise ValueError(f"{value!r} is not an f32 value")
    digits, exponent = _digits_f32(magnitude)
    return ("-" if value < 0 else "") + _ryu_layout(digits, exponent, 13, -6)


def debug_f64(value: float) -> str:
    """Rust's ``format!("{:?}", value)`` for an f64."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0.0"
    digits, exponent = _digits_f64(abs(value))
    kk = len(digits) + exponent
    if abs(value) < 1e-4 or abs(value) >= 1e16:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{kk - 1}"
    if kk <= 0:
        return f"{sign}0.{'0' * -kk}{digits}"
    if exponent >= 0:
        return f"{sign}{digits}{'0' * exponent}.0"
    return f"{sign}{digits[:kk]}.{digits[kk:]}"
