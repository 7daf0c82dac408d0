"""``builtin-echo``: return the ``message`` argument (and log it)."""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import STRING, arg
from teahouse.functions._builtin import Builtin
from teahouse.functions._runtime import FunctionRuntime

NAME = "builtin-echo"


@dataclass(frozen=True)
class EchoArguments:
    message: str = arg(STRING)


def run(rt: FunctionRuntime[EchoArguments]) -> str:
    message = rt.args.message
    rt.log.info(message)
    return message


BUILTIN = Builtin(NAME, EchoArguments, run, "teaclave_function::echo")
