"""The current RPC call, as seen by plain domain code (set once per call by the dispatcher)."""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from teahouse.attestation.verify import VerifiedPeer


@dataclass(frozen=True)
class CallContext:
    method: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    peer: VerifiedPeer | None = None
    client_address: str | None = None
    #: Carried across services in the ``request-id`` metadata; in every log line of the call.
    request_id: str = ""

    def client_ip16(self) -> bytes:
        """The client address as 16 IPv6 bytes; IPv4 as IPv4-compatible ``::a.b.c.d`` (Teaclave's form)."""
        if not self.client_address:
            return bytes(16)
        try:
            addr = ipaddress.ip_address(self.client_address)
        except ValueError:
            return bytes(16)
        if isinstance(addr, ipaddress.IPv4Address):
            return bytes(12) + addr.packed
        return addr.packed


_current: contextvars.ContextVar[CallContext] = contextvars.ContextVar("teahouse_call")


def current_call() -> CallContext:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("not inside an RPC call") from None


def set_current_call(call: CallContext) -> contextvars.Token[CallContext]:
    return _current.set(call)


def reset_current_call(token: contextvars.Token[CallContext]) -> None:
    _current.reset(token)
