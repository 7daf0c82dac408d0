"""Values the caller passes in: credentials and the parts of function and task requests.

The names and defaults are those of Teaclave's Python SDK, so its examples read the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class Credentials:
    """A user id and the token ``login`` returned; sent as the ``id``/``token`` metadata."""

    id: str
    token: str

    def __repr__(self) -> str:
        return f"Credentials(id={self.id!r}, token=<{len(self.token)} characters>)"


@dataclass(frozen=True)
class FunctionArgument:
    key: str
    default_value: str = ""
    allow_overwrite: bool = True


@dataclass(frozen=True)
class FunctionInput:
    name: str
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class FunctionOutput:
    name: str
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class OwnerList:
    """The users who must own the file bound to ``data_name`` of a task."""

    data_name: str
    uids: Sequence[str] = ()

    def __post_init__(self) -> None:
        if isinstance(self.uids, str):
            raise TypeError("OwnerList.uids is a list of user ids, not one string")
        object.__setattr__(self, "uids", tuple(self.uids))


@dataclass(frozen=True)
class DataMap:
    """A registered file (``input-…``/``output-…``) bound to the task's ``data_name``."""

    data_name: str
    data_id: str
