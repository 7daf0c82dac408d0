"""The builtin function library: Teaclave's thirteen builtins, by their exact names."""

from teahouse.functions._builtin import Builtin
from teahouse.functions._errors import FunctionError, MissingExtra
from teahouse.functions._registry import BUILTINS, NOT_FOUND, BuiltinOutcome, lookup, run_builtin
from teahouse.functions._runtime import FunctionLog, FunctionRuntime

__all__ = [
    "BUILTINS",
    "NOT_FOUND",
    "Builtin",
    "BuiltinOutcome",
    "FunctionError",
    "FunctionLog",
    "FunctionRuntime",
    "MissingExtra",
    "lookup",
    "run_builtin",
]
