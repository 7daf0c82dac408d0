"""The description of one builtin function and the optional-dependency check."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from teahouse.functions._errors import MissingExtra
from teahouse.functions._runtime import FunctionRuntime

A = TypeVar("A")


@dataclass(frozen=True)
class Builtin(Generic[A]):
    """A builtin: its exact Teaclave name, argument type, body and log target.

    ``log_target`` is the module path printed in captured log lines; it keeps Teaclave's
    (``teaclave_function::echo``) so that saved logs read the same on both platforms.
    """

    name: str
    arguments: type[A]
    run: Callable[[FunctionRuntime[A]], str]
    log_target: str
    extra: str | None = None


_EXTRA_MODULES = {"ml": ("numpy",), "face": ("numpy", "cv2")}


def require_extra(function: str, extra: str) -> None:
    """Fail the task with a message naming ``extra`` when its modules are not importable."""
    for module in _EXTRA_MODULES[extra]:
        if importlib.util.find_spec(module) is None:
            raise MissingExtra(function, extra)


AnyBuiltin = Builtin[Any]
