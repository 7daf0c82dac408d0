"""User roles and their string forms (spec/wire.md §5.2, spec/behaviour.md §2.1).

A role has four renderings, all fixed by Teaclave:

- the *claim* string carried in tokens and in the ``role`` metadata (``DataOwner-bank``),
- the *access-control name* given to the policy: the claim up to its first ``-`` (``DataOwner``),
- the Rust ``Debug`` form written in audit entries (``DataOwner("bank")``),
- the JSON value of the stored user record (``{"DataOwner": "bank"}``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class RoleKind(enum.Enum):
    PLATFORM_ADMIN = "PlatformAdmin"
    FUNCTION_OWNER = "FunctionOwner"
    DATA_OWNER_MANAGER = "DataOwnerManager"
    DATA_OWNER = "DataOwner"
    INVALID = "Invalid"

    @property
    def has_attribute(self) -> bool:
        return self in (RoleKind.DATA_OWNER_MANAGER, RoleKind.DATA_OWNER)


@dataclass(frozen=True)
class Role:
    """A role; ``attribute`` is the group label of DataOwner/DataOwnerManager, else empty."""

    kind: RoleKind
    attribute: str = ""

    def __post_init__(self) -> None:
        if self.attribute and not self.kind.has_attribute:
            raise ValueError(f"{self.kind.value} takes no attribute")

    @classmethod
    def data_owner(cls, attribute: str) -> Role:
        return cls(RoleKind.DATA_OWNER, attribute)

    @classmethod
    def data_owner_manager(cls, attribute: str) -> Role:
        return cls(RoleKind.DATA_OWNER_MANAGER, attribute)

    @classmethod
    def from_request(cls, role: str, attribute: str) -> Role:
        """The role named by the ``role``/``attribute`` fields of UserRegister/UserUpdate."""
        try:
            kind = RoleKind(role)
        except ValueError:
            return INVALID
        if kind is RoleKind.INVALID:
            return INVALID
        return cls(kind, attribute if kind.has_attribute else "")

    @classmethod
    def parse(cls, claim: str) -> Role:
        """Parse a claim string; anything unrecognised is the Invalid role."""
        if claim == RoleKind.PLATFORM_ADMIN.value:
            return PLATFORM_ADMIN
        if claim == RoleKind.FUNCTION_OWNER.value:
            return FUNCTION_OWNER
        # Teaclave tries DataOwner- first; "DataOwnerManager-x" does not start with "DataOwner-".
        for kind in (RoleKind.DATA_OWNER, RoleKind.DATA_OWNER_MANAGER):
            prefix = kind.value + "-"
            if claim.startswith(prefix):
                return cls(kind, claim[len(prefix) :])
        return INVALID

    @property
    def is_valid(self) -> bool:
        return self.kind is not RoleKind.INVALID

    @property
    def claim(self) -> str:
        """The string carried in tokens and metadata: ``PlatformAdmin``, ``DataOwner-<attr>``."""
        if self.kind.has_attribute:
            return f"{self.kind.value}-{self.attribute}"
        return self.kind.value

    @property
    def acl_name(self) -> str:
        """The role name the access-control policy decides on."""
        return acl_role_name(self.claim)

    def rust_debug(self) -> str:
        """Teaclave's audit-log rendering, e.g. ``DataOwner("bank")``."""
        if self.kind.has_attribute:
            return f"{self.kind.value}({rust_debug_str(self.attribute)})"
        return self.kind.value

    def to_record(self) -> str | dict[str, str]:
        """The serde JSON value of the role in a stored user record."""
        if self.kind.has_attribute:
            return {self.kind.value: self.attribute}
        return self.kind.value

    @classmethod
    def from_record(cls, value: Any) -> Role:
        """Inverse of :meth:`to_record`; raises ``ValueError`` on anything else."""
        if isinstance(value, str):
            kind = RoleKind(value)
            if kind.has_attribute:
                raise ValueError(f"{value} needs an attribute")
            return cls(kind)
        if isinstance(value, dict) and len(value) == 1:
            ((name, attribute),) = value.items()
            kind = RoleKind(name)
            if kind.has_attribute and isinstance(attribute, str):
                return cls(kind, attribute)
        raise ValueError(f"not a role record: {value!r}")

    def __str__(self) -> str:
        return self.claim


PLATFORM_ADMIN = Role(RoleKind.PLATFORM_ADMIN)
FUNCTION_OWNER = Role(RoleKind.FUNCTION_OWNER)
INVALID = Role(RoleKind.INVALID)


def acl_role_name(claim: str) -> str:
    """The segment of a claim string before its first ``-`` (what Teaclave's frontend sends)."""
    return claim.split("-", 1)[0]


_RUST_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def rust_debug_str(text: str) -> str:
    """Quote ``text`` the way Rust's ``{:?}`` renders a ``&str`` (``'`` stays unescaped).

    Non-printable characters become ``\\u{hex}``; Python's notion of printable stands in for
    Rust's, which differs only for rare code points.
    """
    out = []
    for char in text:
        if char in _RUST_ESCAPES:
            out.append(_RUST_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{{{ord(char):x}}}")
    return '"' + "".join(out) + '"'
