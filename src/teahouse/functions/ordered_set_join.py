"""``builtin-ordered-set-join``: merge-join two header-less CSV files sorted on a key column.

Keys compare as strings (byte order). A match writes input1's record (without its key column
when ``drop``) followed by input2's record without its key column, then both sides advance.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from teahouse.functions._args import BOOL, UINT, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-ordered-set-join"


@dataclass(frozen=True)
class JoinArguments:
    left_column: int = arg(UINT)
    right_column: int = arg(UINT)
    ascending: bool = arg(BOOL)
    drop: bool = arg(BOOL)


def read_records(rt: FunctionRuntime[JoinArguments], name: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of each CSV record, with the csv crate's rules: blank lines are skipped
    and every record must have as many fields as the first one."""
    data = rt.read_input(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FunctionError(f"input {name} line {line}: invalid UTF-8 in CSV data") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    width: int | None = None
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FunctionError(f"input {name} line {reader.line_num}: CSV error: {error}") from None
        if not fields:
            continue
        if width is None:
            width = len(fields)
        elif len(fields) != width:
            raise FunctionError(f"input {name} line {reader.line_num}: CSV error: found record with "
                                f"{len(fields)} fields, but the previous record has {width} fields")
        yield reader.line_num, fields


def _key(name: str, record: tuple[int, list[str]], column: int, argument: str) -> str:
    line, fields = record
    if column >= len(fields):
        raise FunctionError(f"invalid index: argument `{argument}` is {column} but input {name} "
                            f"line {line} has {len(fields)} columns")
    return fields[column]


def run(rt: FunctionRuntime[JoinArguments]) -> str:
    args = rt.args
    records1 = read_records(rt, "input_data1")
    records2 = read_records(rt, "input_data2")
    count = 0
    with rt.create_output("output_result") as output:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        record1 = next(records1, None)
        if record1 is None:
            raise FunctionError("input1 is empty: input input_data1 has no CSV record")
        record2 = next(records2, None)
        if record2 is None:
            raise FunctionError("input2 is empty: input input_data2 has no CSV record")
        while True:
            key1 = _key("input_data1", record1, args.left_column, "left_column")
            key2 = _key("input_data2", record2, args.right_column, "right_column")
            advance1 = advance2 = False
            if key1 == key2:
                fields1 = record1[1]
                left = [f for i, f in enumerate(fields1) if i != args.left_column] if args.drop else fields1
                right = [f for i, f in enumerate(record2[1]) if i != args.right_column]
                writer.writerow(left + right)
                count += 1
                advance1 = advance2 = True
            elif (key1 < key2) == args.ascending:
                advance1 = True
            else:
                advance2 = True
            if advance1:
                record1 = next(records1, None)  # type: ignore[assignment]
                if record1 is None:
                    break
            if advance2:
                record2 = next(records2, None)  # type: ignore[assignment]
                if record2 is None:
                    break
        output.write(text.getvalue().encode())
    return f"{count} records"


BUILTIN = Builtin(NAME, JoinArguments, run, "teaclave_function::ordered_set_join")
