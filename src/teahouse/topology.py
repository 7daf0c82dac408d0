"""Who the services are and who may call whom (design.md §2, spec/wire.md §0.1 and §6.2).

This is the one place that names the services, their Teaclave enclave names, their default
ports and the inbound lists that mutual attestation enforces.
"""

from __future__ import annotations

import re
from typing import Final

AUTHENTICATION: Final = "authentication"
FRONTEND: Final = "frontend"
MANAGEMENT: Final = "management"
STORAGE: Final = "storage"
ACCESS_CONTROL: Final = "access_control"
SCHEDULER: Final = "scheduler"
EXECUTION: Final = "execution"

#: The seven services, in the order the launcher starts them.
SERVICES: Final = (STORAGE, AUTHENTICATION, ACCESS_CONTROL, MANAGEMENT, SCHEDULER, FRONTEND, EXECUTION)

#: Default listen ports (Teaclave's runtime.config.toml).
API_PORTS: Final = {AUTHENTICATION: 7776, FRONTEND: 7777}
INTERNAL_PORTS: Final = {
    AUTHENTICATION: 17776,
    MANAGEMENT: 17777,
    STORAGE: 17778,
    ACCESS_CONTROL: 17779,
    SCHEDULER: 17780,
    EXECUTION: 17770,
}
ATTESTATION_SERVICE_PORT: Final = 17790

#: Services whose RA-TLS certificate an internal endpoint accepts (mutual attestation).
#: Unlike Teaclave, authentication persists its users through storage, so storage accepts it too.
INBOUND: Final[dict[str, frozenset[str]]] = {
    AUTHENTICATION: frozenset({FRONTEND}),
    MANAGEMENT: frozenset({FRONTEND}),
    STORAGE: frozenset({MANAGEMENT, SCHEDULER, AUTHENTICATION}),
    ACCESS_CONTROL: frozenset({FRONTEND, MANAGEMENT}),
    SCHEDULER: frozenset({EXECUTION}),
    EXECUTION: frozenset(),
}


_SERVICE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


def valid_service_name(name: str) -> bool:
    """Built-in services and custom ones (``teahouse.framework``) share one naming rule."""
    return bool(_SERVICE_NAME.fullmatch(name))


def enclave_name(service: str) -> str:
    """Teaclave's name for a service's enclave, as used in enclave_info.toml."""
    if not valid_service_name(service):
        raise ValueError(f"invalid service name {service!r}")
    return f"teaclave_{service}_service"


def service_of_enclave(name: str) -> str | None:
    """The service an enclave_info section names, or ``None`` if it names none."""
    match = re.fullmatch(r"teaclave_([a-z][a-z0-9_]*)_service", name)
    return match.group(1) if match else None


def process_index(process: str) -> int:
    """A stable small number per process: attestation 0, services 1..7, execution nodes after."""
    if process == "attestation":
        return 0
    if process.startswith(f"{EXECUTION}-") and process.removeprefix(f"{EXECUTION}-").isdigit():
        return len(SERVICES) + int(process.removeprefix(f"{EXECUTION}-"))
    if process in SERVICES:
        return 1 + SERVICES.index(process)
    raise ValueError(f"unknown process {process!r}")
