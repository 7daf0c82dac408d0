"""Audit log entries (spec/behaviour.md §7, spec/wire.md §1.1 ``Entry``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Self

from teahouse.model._json import (
    JSONValue,
    as_bool,
    as_int,
    as_object,
    as_str,
    bytes_from_json,
    bytes_to_json,
)
from teahouse.model._json import field as get
from teahouse.model._record import JSONRecord

IP_SIZE = 16
UNKNOWN_IP = bytes(IP_SIZE)


def entry_ip(address: str | None) -> bytes:
    """The 16-byte ``Entry.ip`` of a peer address: IPv6 octets, IPv4 as IPv4-*compatible* ``::a.b.c.d``.

    ``None`` or an unparsable address gives ``::`` (unknown), as Teaclave records it.
    """
    if not address:
        return UNKNOWN_IP
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_IP
    if isinstance(ip, ipaddress.IPv4Address):
        return bytes(12) + ip.packed
    return ip.packed


@dataclass(frozen=True)
class AuditEntry(JSONRecord):
    """One frontend call: when (UNIX µs), from where, who, what, and whether it succeeded.

    Stored as ``{"microsecond", "ip": [16 ints], "user", "message", "result"}`` (a Teahouse layout;
    Teaclave kept entries only inside its Tantivy index).
    """

    microsecond: int
    ip: bytes
    user: str
    message: str
    result: bool

    @property
    def ip_text(self) -> str:
        """Readable form: dotted quad for IPv4-compatible and IPv4-mapped addresses, else IPv6."""
        if len(self.ip) != IP_SIZE:
            return ""
        ip = ipaddress.IPv6Address(self.ip)
        if self.ip[:12] == bytes(12) and self.ip != UNKNOWN_IP and self.ip[12:] != bytes(3) + b"\x01":
            return str(ipaddress.IPv4Address(self.ip[12:]))
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ip)

    def to_json(self) -> JSONValue:
        return {
            "microsecond": self.microsecond,
            "ip": bytes_to_json(self.ip),
            "user": self.user,
            "message": self.message,
            "result": self.result,
        }

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "AuditEntry"
        obj = as_object(value, w)
        return cls(
            microsecond=as_int(get(obj, "microsecond", w), f"{w}.microsecond"),
            ip=bytes_from_json(get(obj, "ip", w), f"{w}.ip", IP_SIZE),
            user=as_str(get(obj, "user", w), f"{w}.user"),
            message=as_str(get(obj, "message", w), f"{w}.message"),
            result=as_bool(get(obj, "result", w), f"{w}.result"),
        )
