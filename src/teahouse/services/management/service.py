"""``ManagementService``: one method per management RPC, the domain behind the lead's ``handlers.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from teahouse.kv import KeyValueStore
from teahouse.services.management._caller import Caller
from teahouse.services.management.audit import AuditLog
from teahouse.services.management.files import FileService
from teahouse.services.management.functions import FunctionService
from teahouse.services.management.messages import (
    QueryAuditLogsRequest,
    QueryAuditLogsResponse,
    SaveLogsRequest,
)
from teahouse.services.management.tasks import TaskService


class ManagementService(FileService, FunctionService, TaskService):
    """Files, functions, tasks and the audit log over one key-value store.

    Every RPC method but ``save_logs`` takes the forwarded :class:`Caller` first and checks it
    (``missing user id`` / ``missing user role``). Build it with :meth:`open`, which loads the audit
    index from the stored entries.
    """

    def __init__(
        self,
        kv: KeyValueStore,
        audit: AuditLog | None = None,
        *,
        new_uuid: Callable[[], uuid.UUID] = uuid.uuid4,
    ) -> None:
        super().__init__(kv, new_uuid=new_uuid)
        self.audit = audit or AuditLog(kv)

    @classmethod
    async def open(
        cls, kv: KeyValueStore, *, new_uuid: Callable[[], uuid.UUID] = uuid.uuid4
    ) -> ManagementService:
        service = cls(kv, new_uuid=new_uuid)
        await service.audit.load()
        return service

    def close(self) -> None:
        self.audit.close()

    async def save_logs(self, request: SaveLogsRequest) -> None:
        await self.audit.save_logs(request)

    async def query_audit_logs(
        self, caller: Caller, request: QueryAuditLogsRequest
    ) -> QueryAuditLogsResponse:
        return await self.audit.query_audit_logs(caller, request)
