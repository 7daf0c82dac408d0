"""The one error a builtin function raises to fail its task."""

from __future__ import annotations


class FunctionError(Exception):
    """A builtin function failed; ``reason`` is the text the task owner reads.

    Reasons keep Teaclave's wording where the spec gives it (``Function not found.``,
    ``Invalid ordering``, ``decryption error`` ...) and add which argument, input or line was at
    fault after a colon.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.log: list[str] = []


class MissingExtra(FunctionError):
    """An optional dependency (``teahouse[ml]``, ``teahouse[face]``) is not installed."""

    def __init__(self, function: str, extra: str) -> None:
        super().__init__(f"{function} needs the optional dependencies of teahouse[{extra}]: "
                         f"install teahouse[{extra}]")
        self.extra = extra
