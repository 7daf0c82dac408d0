"""``builtin-password-check``: is the first line of ``password`` among ``exposed_passwords``?"""

from __future__ import annotations

from teahouse.functions._args import NoArguments
from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._text import rust_trim

NAME = "builtin-password-check"


def run(rt: FunctionRuntime[NoArguments]) -> str:
    first = next(rt.input_lines("password"), None)
    if first is None:
        # Teaclave's worker thread panics here; we fail the task instead.
        raise FunctionError("input password is empty: expected the password on its first line")
    password = rust_trim(first[1])
    exposed = {rust_trim(line) for _, line in rt.input_lines("exposed_passwords")}
    return "true" if password in exposed else "false"


BUILTIN = Builtin(NAME, NoArguments, run, "teaclave_function::password_check")
