"""Who is calling: the user id and role string that the frontend forwards as metadata."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from teahouse.services.management.errors import MissingUserId, MissingUserRole


class RoleKind(enum.Enum):
    PLATFORM_ADMIN = "PlatformAdmin"
    FUNCTION_OWNER = "FunctionOwner"
    DATA_OWNER_MANAGER = "DataOwnerManager"
    DATA_OWNER = "DataOwner"
    INVALID = "Invalid"


@dataclass(frozen=True)
class Role:
    """A parsed role string (spec/behaviour.md §2.1); ``attribute`` only for the data-owner kinds."""

    kind: RoleKind
    attribute: str = ""

    @classmethod
    def parse(cls, text: str) -> Role:
        if text in (RoleKind.PLATFORM_ADMIN.value, RoleKind.FUNCTION_OWNER.value):
            return cls(RoleKind(text))
        for kind in (RoleKind.DATA_OWNER, RoleKind.DATA_OWNER_MANAGER):
            prefix = kind.value + "-"
            if text.startswith(prefix):
                return cls(kind, text[len(prefix) :])
        return cls(RoleKind.INVALID)

    @property
    def is_admin(self) -> bool:
        return self.kind is RoleKind.PLATFORM_ADMIN

    @property
    def is_data_owner(self) -> bool:
        return self.kind in (RoleKind.DATA_OWNER, RoleKind.DATA_OWNER_MANAGER)


@dataclass(frozen=True)
class Caller:
    """The caller as forwarded: metadata ``id`` and ``role``, ``None`` when absent."""

    user_id: str | None
    role: str | None


@dataclass(frozen=True)
class Principal:
    """An identified caller."""

    user_id: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role.is_admin


def identify(caller: Caller) -> Principal:
    """Check that both the user id and the role were forwarded (an empty value counts as absent)."""
    if not caller.user_id:
        raise MissingUserId()
    if not caller.role:
        raise MissingUserRole()
    return Principal(caller.user_id, Role.parse(caller.role))
