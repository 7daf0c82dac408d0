"""The frontend pipeline, the same for all 22 RPCs (spec/wire.md §2.4, §2.7).

Read ``id``/``token`` → check the token with authentication → ask access control with the role
and the snake_case API name → forward to management with the caller's identity and role → return
management's answer or status unchanged; one audit entry per call whatever happens.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from teahouse.errors import PermissionDenied, TeahouseError, Unauthenticated
from teahouse.model.roles import Role, acl_role_name
from teahouse.services.frontend.audit import AuditTrail

log = logging.getLogger(__name__)

QUERY_AUDIT_LOGS = "query_audit_logs"


@dataclass(frozen=True)
class VerifiedClaims:
    sub: str
    role: str


class ForwardFailed(Exception):
    """Management answered with an error status; the frontend passes it on unchanged."""

    def __init__(self, error: Exception, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


#: (user id, token) → claims; raises on any failure.
Authenticate = Callable[[str, str], Awaitable[VerifiedClaims]]
#: (access-control role name, api) → accept.
Authorize = Callable[[str, str], Awaitable[bool]]
#: (api, request, metadata) → reply; raises ForwardFailed with management's status.
Forward = Callable[[str, Any, Mapping[str, str]], Awaitable[Any]]


class FrontendPipeline:
    def __init__(self, authenticate: Authenticate, authorize: Authorize, forward: Forward, audit: AuditTrail):
        self._authenticate = authenticate
        self._authorize = authorize
        self._forward = forward
        self._audit = audit

    async def handle(
        self, api: str, request: Any, metadata: Mapping[str, str], client_ip: bytes, request_id: str = ""
    ) -> Any:
        user_id, token = metadata.get("id"), metadata.get("token")
        if user_id is None or token is None:
            self._audit.record(client_ip, "", f"authenticate to {api}: authentication failed", False)
            raise Unauthenticated("missing user id" if user_id is None else "missing token")
        try:
            claims = await self._authenticate(user_id, token)
        except Exception as exc:  # noqa: BLE001 - every failure is the same answer to the caller
            log.info("authentication for %s failed: %s", api, getattr(exc, "message", type(exc).__name__))
            self._audit.record(client_ip, "", f"authenticate to {api}: authentication failed", False)
            raise Unauthenticated("incorrent credential") from None  # sic: Teaclave's message
        try:
            accepted = await self._authorize(acl_role_name(claims.role), api)
        except Exception as exc:  # noqa: BLE001 - an access-control failure denies
            log.warning("access control failed for %s: %s", api, exc)
            accepted = False
        if not accepted:
            self._audit.record(client_ip, "", f"authenticate to {api}", False)
            raise PermissionDenied("permission denied")
        who = f"{{ user: {claims.sub}, role: {Role.parse(claims.role).rust_debug()} }}"
        if api == QUERY_AUDIT_LOGS:
            try:
                await self._audit.flush()
            except Exception as exc:  # noqa: BLE001 - the query still answers with what is stored
                log.warning("could not flush audit entries before a query: %s", exc)
        forwarded = {"id": user_id, "token": token, "role": claims.role}
        if request_id:
            forwarded["request-id"] = request_id
        try:
            reply = await self._forward(api, request, forwarded)
        except ForwardFailed as failed:
            self._audit.record(client_ip, who, f"{api}:{failed.message}", False)
            raise failed.error from None
        except TeahouseError as exc:
            self._audit.record(client_ip, who, f"{api}:{exc.message}", False)
            raise
        self._audit.record(client_ip, who, api, True)
        return reply
