"""Reading numeric text inputs line by line, with reasons that name the input and the line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._text import parse_f32, parse_f64, rust_trim


def parse_row(
    name: str, number: int, line: str, parse: Callable[[str], float], *, trim_fields: bool
) -> list[float]:
    """One comma-separated line of floats, as Teaclave reads it (the line is trimmed first)."""
    trimmed = rust_trim(line)
    if not trimmed:
        raise FunctionError(f"input {name} line {number}: Empty line")
    row: list[float] = []
    for column, token in enumerate(trimmed.split(","), start=1):
        if trim_fields:
            token = rust_trim(token)
            if not token:
                raise FunctionError(f"input {name} line {number}: Empty feature in column {column}")
        try:
            row.append(parse(token))
        except ValueError as error:
            raise FunctionError(f"input {name} line {number} column {column}: {error}: {token!r}") from None
    return row


def read_rows(
    rt: FunctionRuntime[Any],
    name: str,
    columns: int | None,
    *,
    single: bool = False,
    trim_fields: bool = False,
) -> list[list[float]]:
    """Every line of input ``name`` as floats (f32 values when ``single``).

    With ``columns`` set, a line with another count fails with Teaclave's ``Data format error``.
    """
    parse = parse_f32 if single else parse_f64
    rows: list[list[float]] = []
    for number, line in rt.input_lines(name):
        row = parse_row(name, number, line, parse, trim_fields=trim_fields)
        if columns is not None and len(row) != columns:
            raise FunctionError(
                f"input {name} line {number}: "
                f"Data format error: column len = {len(row)}, expected = {columns}"
            )
        rows.append(row)
    return rows
