"""External IDs: ``<prefix>-<uuid>`` (spec/behaviour.md §0.3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from teahouse.errors import InvalidArgument
from teahouse.model._json import JSONValue, as_object, as_str, as_uuid, field, parse_uuid


class InvalidExternalID(InvalidArgument):
    """A text that is not ``<prefix>-<uuid>``, or whose prefix is not the expected one."""


@dataclass(frozen=True, order=True)
class ExternalID:
    """A record's identity as clients and storage keys spell it, e.g. ``task-<uuid>``."""

    prefix: str
    uuid: uuid.UUID

    @classmethod
    def new(cls, prefix: str) -> ExternalID:
        return cls(prefix, uuid.uuid4())

    @classmethod
    def parse(cls, text: str, prefix: str | None = None) -> ExternalID:
        """Split at the first ``-``; the rest must be a UUID and the prefix, if given, must match."""
        head, sep, rest = text.partition("-")
        if not sep or not head:
            raise InvalidExternalID(f"invalid id {text!r}: expected <prefix>-<uuid>")
        try:
            value = parse_uuid(rest)
        except ValueError:
            raise InvalidExternalID(f"invalid id {text!r}: {rest!r} is not a UUID") from None
        if prefix is not None and head != prefix:
            raise InvalidExternalID(f"invalid id {text!r}: expected prefix {prefix!r}")
        return cls(head, value)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.uuid}"

    @property
    def key(self) -> bytes:
        """The storage key of the record this id names."""
        return str(self).encode()

    def to_json(self) -> JSONValue:
        return {"prefix": self.prefix, "uuid": str(self.uuid)}

    @classmethod
    def from_json(cls, value: JSONValue) -> ExternalID:
        obj = as_object(value, "ExternalID")
        return cls(
            as_str(field(obj, "prefix", "ExternalID"), "ExternalID.prefix"),
            as_uuid(field(obj, "uuid", "ExternalID"), "ExternalID.uuid"),
        )
