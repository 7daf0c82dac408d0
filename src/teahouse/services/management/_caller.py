"""Who is calling: the user id and role string that the frontend forwards as metadata."""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.model.roles import Role, RoleKind
from teahouse.services.management.errors import MissingUserId, MissingUserRole


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
        return self.role.kind is RoleKind.PLATFORM_ADMIN

    @property
    def is_data_owner(self) -> bool:
        """DataOwner or DataOwnerManager: the roles CreateTask gates by the function's allow-list."""
        return self.role.kind in (RoleKind.DATA_OWNER, RoleKind.DATA_OWNER_MANAGER)


def identify(caller: Caller) -> Principal:
    """Check that both the user id and the role were forwarded (an empty value counts as absent)."""
    if not caller.user_id:
        raise MissingUserId()
    if not caller.role:
        raise MissingUserRole()
    return Principal(caller.user_id, Role.parse(caller.role))
