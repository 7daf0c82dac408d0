"""``builtin-ordered-set-intersect``: which lines of two sorted hex lists the other list has.

``output_result1`` / ``output_result2`` get one ``0``/``1`` per line of ``input_data1`` /
``input_data2`` (no separator, no newline); the return value counts the matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teahouse.functions._args import STRING, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-ordered-set-intersect"
_HEX = re.compile(r"[0-9a-fA-F]*")
_ORDERS = {"ascending": True, "desending": False}  # sic: Teaclave's spelling


@dataclass(frozen=True)
class IntersectArguments:
    order: str = arg(STRING)


def parse_sorted_hex(rt: FunctionRuntime[IntersectArguments], name: str, ascending: bool) -> list[bytes]:
    items: list[bytes] = []
    for number, line in rt.input_lines(name):
        if not _HEX.fullmatch(line):
            bad = next(i for i, char in enumerate(line) if char not in "0123456789abcdefABCDEF")
            reason = f"input {name} line {number}: Invalid character {line[bad]!r} at position {bad}"
            raise FunctionError(reason)
        if len(line) % 2:
            raise FunctionError(f"input {name} line {number}: Odd number of digits")
        item = bytes.fromhex(line)
        if items and (item < items[-1] if ascending else item > items[-1]):
            direction = "ascending" if ascending else "descending"
            raise FunctionError(f"Invalid ordering: input {name} line {number} is out of {direction} order")
        items.append(item)
    return items


def intersect(left: list[bytes], right: list[bytes], ascending: bool) -> tuple[list[int], list[int]]:
    """Merge-intersect two sorted lists; a 1 marks each matched position."""
    marks1 = [0] * len(left)
    marks2 = [0] * len(right)
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] == right[j]:
            marks1[i] = marks2[j] = 1
            i += 1
            j += 1
        elif (left[i] < right[j]) == ascending:
            i += 1
        else:
            j += 1
    return marks1, marks2


def run(rt: FunctionRuntime[IntersectArguments]) -> str:
    rt.open_input("input_data1").close()
    rt.open_input("input_data2").close()
    with rt.create_output("output_result1") as output1, rt.create_output("output_result2") as output2:
        order = rt.args.order
        if order not in _ORDERS:
            raise FunctionError(
                f"Invalid order: argument `order` is {order!r}, expected 'ascending' or 'desending'"
            )
        ascending = _ORDERS[order]
        left = parse_sorted_hex(rt, "input_data1", ascending)
        right = parse_sorted_hex(rt, "input_data2", ascending)
        marks1, marks2 = intersect(left, right, ascending)
        output1.write("".join(map(str, marks1)).encode())
        output2.write("".join(map(str, marks2)).encode())
    return f"{sum(marks1)} common items"


BUILTIN = Builtin(NAME, IntersectArguments, run, "teaclave_function::ordered_set_intersect")
