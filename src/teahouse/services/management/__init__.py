"""The management service: functions, data files, tasks and their state machine, and the audit log.

Plain domain code over a :class:`~teahouse.kv.KeyValueStore`; it knows nothing of gRPC. The RPC
layer maps each proto request to the value of the same name in :mod:`.messages`, calls the
:class:`ManagementService` method of the same (snake_case) name with the forwarded
``Caller(user_id, role)``, and maps the result back; errors come from :mod:`.errors`.
"""

from teahouse.services.management._caller import Caller, Principal
from teahouse.services.management.audit import AuditLog
from teahouse.services.management.service import ManagementService

__all__ = ["AuditLog", "Caller", "ManagementService", "Principal"]
