"""The byte encoding shared by every stored record: Teaclave's serde JSON, compact UTF-8."""

from __future__ import annotations

from typing import Self

from teahouse.model._json import JSONValue, dumps, loads


class JSONRecord:
    """Mixin for records stored as JSON; subclasses implement ``to_json`` and ``from_json``."""

    def to_json(self) -> JSONValue:
        raise NotImplementedError

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        raise NotImplementedError

    def to_bytes(self) -> bytes:
        return dumps(self.to_json())

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        """Decode a stored value; raises ``CorruptRecord`` if it is not a record of this type."""
        return cls.from_json(loads(data, cls.__name__))
