"""Reading numeric text inputs line by line, with reasons that name the input and the line."""

from __future__ import annotations

from typing import Any

from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._text import parse_f64, rust_trim


def split_fields(line: str, *, trim_fields: bool) -> list[str]:
    """The comma-separated fields of a trimmed line (each trimmed too when ``trim_fields``)."""
    fields = line.split(",")
    return [rust_trim(field) for field in fields] if trim_fields else fields


def parse_row(name: str, number: int, line: str, *, trim_fields: bool) -> list[float]:
    """One comma-separated line of f64 values, as Teaclave reads it (the line is trimmed first)."""
    trimmed = rust_trim(line)
    if not trimmed:
        raise FunctionError(f"input {name} line {number}: Empty line")
    fields = split_fields(trimmed, trim_fields=trim_fields)
    try:
        return [parse_f64(token) for token in fields]
    except ValueError:
        pass
    for column, token in enumerate(fields, start=1):
        if trim_fields and not token:
            raise FunctionError(f"input {name} line {number}: Empty feature in column {column}")
        try:
            parse_f64(token)
        except ValueError as error:
            raise FunctionError(f"input {name} line {number} column {column}: {error}: {token!r}") from None
    raise AssertionError("unreachable: some field failed to parse")


def read_rows(
    rt: FunctionRuntime[Any],
    name: str,
    columns: int | None,
    *,
    trim_fields: bool = False,
    lines: list[str] | None = None,
) -> list[list[float]]:
    """Every line of input ``name`` as f64 values; the trimmed lines go to ``lines`` if given.

    With ``columns`` set, a line with another count fails with Teaclave's ``Data format error``.
    """
    rows: list[list[float]] = []
    for number, line in rt.input_lines(name):
        row = parse_row(name, number, line, trim_fields=trim_fields)
        if lines is not None:
            lines.append(rust_trim(line))
        if columns is not None and len(row) != columns:
            raise FunctionError(
                f"input {name} line {number}: "
                f"Data format error: column len = {len(row)}, expected = {columns}"
            )
        rows.append(row)
    return rows
