"""The service framework, usable as a library to build your own attested service.

Teahouse's seven services are built with it, and so can yours ("customize a TEE service" in
Teaclave's words). A service is a script that calls :func:`run_service` with a factory for its
*trusted part* — an object with ``async start() -> endpoints`` and ``async finalize()``. The *app
part* (configuration, logging, signals, readiness, metrics) is the framework's. In ``start`` the
trusted part gets an :class:`Environment`: the TEE platform (measurement, sealing keys), its
attested RA-TLS identity, refreshed periodically, and servers and channels that verify peers with
the one verifier. Handlers are plain objects bound to the generated grpclib base with :func:`bind`.

Declare the service in the deployment's ``teahouse.toml`` so that ``teahouse up`` measures it into
enclave_info (signed by the auditors) and starts it::

    [custom_services.counter]
    script = "/path/to/examples/counter/service.py"   # what runs (python SCRIPT --home HOME)
    code = ["/path/to/examples/counter"]              # what is measured, besides Teahouse itself
    attestation = "one-way"                           # or "mutual" with an inbound list
    listen_address = "127.0.0.1:17801"

Clients verify it with the exported trust files: ``teahouse.sdk.attested_channel(address, trust,
"counter")``. ``examples/counter`` is a complete example.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teahouse.framework.app import TrustedPart, run_service
    from teahouse.framework.environment import Environment, StartupRefused
    from teahouse.rpc.context import CallContext, current_call
    from teahouse.rpc.dispatch import bind

# Imported on first use, so that light users of the package (the CLI reading state files) do not
# pay for the RPC stack.
_EXPORTS = {
    "CallContext": "teahouse.rpc.context",
    "Environment": "teahouse.framework.environment",
    "StartupRefused": "teahouse.framework.environment",
    "TrustedPart": "teahouse.framework.app",
    "bind": "teahouse.rpc.dispatch",
    "current_call": "teahouse.rpc.context",
    "run_service": "teahouse.framework.app",
}

__all__ = [
    "CallContext",
    "Environment",
    "StartupRefused",
    "TrustedPart",
    "bind",
    "current_call",
    "run_service",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
