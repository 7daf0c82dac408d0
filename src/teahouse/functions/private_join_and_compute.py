"""``builtin-private-join-and-compute``: sum the amounts of identities every party holds.

Each ``input_data<i>`` is text of ``identity : amount`` lines; lines that do not parse are
skipped, as in Teaclave. Every ``output_data<i>`` receives the same ``<identity>, <sum>`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teahouse.functions._args import UINT, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._text import rust_trim

NAME = "builtin-private-join-and-compute"
_U32_MAX = (1 << 32) - 1
_U32 = re.compile(r"\+?[0-9]+")  # what str::parse::<u32> accepts, before the range check


@dataclass(frozen=True)
class PrivateJoinArguments:
    num_user: int = arg(UINT)


def parse_party(text: str) -> dict[str, int]:
    """Identity → amount of one party; later lines for the same identity replace earlier ones."""
    amounts: dict[str, int] = {}
    for item in text.split("\n"):
        pair = rust_trim(item)
        if len(pair.encode()) < 3:
            continue
        parts = pair.split(":")
        if len(parts) != 2:
            continue
        amount = rust_trim(parts[1])
        if not _U32.fullmatch(amount):
            continue
        value = int(amount)
        if value > _U32_MAX:
            continue
        amounts[rust_trim(parts[0])] = value
    return amounts


def run(rt: FunctionRuntime[PrivateJoinArguments]) -> str:
    num_user = rt.args.num_user
    if num_user < 2:
        raise FunctionError("The demo requires at least two parties!: argument `num_user` is "
                            f"{num_user}, expected at least 2")
    counts: dict[str, int] = {}
    sums: dict[str, int] = {}
    for index in range(num_user):
        name = f"input_data{index}"
        data = rt.read_input(name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise FunctionError(f"input {name} line {line}: stream did not contain valid UTF-8") from None
        for identity, amount in parse_party(text).items():
            counts[identity] = counts.get(identity, 0) + 1
            sums[identity] = sums.get(identity, 0) + amount
    common = [(identity, total) for identity, total in sums.items() if counts[identity] == num_user]
    result = "".join(f"{identity}, {total}\n" for identity, total in common)
    payload = result.encode()
    for index in range(num_user):
        with rt.create_output(f"output_data{index}") as output:
            output.write(payload)
    return f"{num_user} users join the task in total."


BUILTIN = Builtin(NAME, PrivateJoinArguments, run, "teaclave_function::private_join_and_compute")
