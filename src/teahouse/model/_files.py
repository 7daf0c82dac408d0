"""Registered input and output files (spec/behaviour.md §4.1, spec/wire.md §7.3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Self

from teahouse.crypto.files import CMAC_SIZE, FileCrypto, InvalidFileCrypto
from teahouse.model._ids import ExternalID
from teahouse.model._json import (
    CorruptRecord,
    JSONValue,
    as_object,
    as_str,
    as_str_list,
    as_uuid,
    bytes_from_json,
    bytes_to_json,
)
from teahouse.model._json import field as get
from teahouse.model._keys import INPUT_PREFIX, OUTPUT_PREFIX
from teahouse.model._record import JSONRecord


def cmac_to_json(cmac: bytes) -> JSONValue:
    """``FileAuthTag``: ``{"tag": [16 ints]}``."""
    return {"tag": bytes_to_json(cmac)}


def cmac_from_json(value: JSONValue, what: str) -> bytes:
    return bytes_from_json(get(as_object(value, what), "tag", what), what, CMAC_SIZE)


def crypto_from_json(value: JSONValue, what: str) -> FileCrypto:
    try:
        return FileCrypto.from_json(value)
    except InvalidFileCrypto as exc:
        raise CorruptRecord(f"{what}: {exc.message}") from None


def owners_to_json(owners: Iterable[str]) -> JSONValue:
    """``OwnerList``/``UserList``: ``{"uids": [...]}``; a set, written sorted."""
    return {"uids": list[JSONValue](sorted(owners))}


def owners_from_json(value: JSONValue, what: str) -> frozenset[str]:
    return frozenset(as_str_list(get(as_object(value, what), "uids", what), what))


@dataclass(frozen=True)
class InputFile(JSONRecord):
    """An input file (key ``input-<uuid>``); ``cmac`` is the 16-byte tag of its content."""

    url: str
    cmac: bytes
    crypto_info: FileCrypto
    owner: frozenset[str]
    uuid: uuid.UUID

    @property
    def external_id(self) -> ExternalID:
        return ExternalID(INPUT_PREFIX, self.uuid)

    @property
    def key(self) -> bytes:
        return self.external_id.key

    def to_json(self) -> JSONValue:
        return {
            "url": self.url,
            "cmac": cmac_to_json(self.cmac),
            "crypto_info": self.crypto_info.to_json(),
            "owner": owners_to_json(self.owner),
            "uuid": str(self.uuid),
        }

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "TeaclaveInputFile"
        obj = as_object(value, w)
        return cls(
            url=as_str(get(obj, "url", w), f"{w}.url"),
            cmac=cmac_from_json(get(obj, "cmac", w), f"{w}.cmac"),
            crypto_info=crypto_from_json(get(obj, "crypto_info", w), f"{w}.crypto_info"),
            owner=owners_from_json(get(obj, "owner", w), f"{w}.owner"),
            uuid=as_uuid(get(obj, "uuid", w), f"{w}.uuid"),
        )


@dataclass(frozen=True)
class OutputFile(JSONRecord):
    """An output file (key ``output-<uuid>``); ``cmac`` stays ``None`` until a task writes it."""

    url: str
    cmac: bytes | None
    crypto_info: FileCrypto
    owner: frozenset[str]
    uuid: uuid.UUID

    @property
    def external_id(self) -> ExternalID:
        return ExternalID(OUTPUT_PREFIX, self.uuid)

    @property
    def key(self) -> bytes:
        return self.external_id.key

    def to_json(self) -> JSONValue:
        return {
            "url": self.url,
            "cmac": None if self.cmac is None else cmac_to_json(self.cmac),
            "crypto_info": self.crypto_info.to_json(),
            "owner": owners_to_json(self.owner),
            "uuid": str(self.uuid),
        }

    @classmethod
    def from_json(cls, value: JSONValue) -> Self:
        w = "TeaclaveOutputFile"
        obj = as_object(value, w)
        cmac = get(obj, "cmac", w)
        return cls(
            url=as_str(get(obj, "url", w), f"{w}.url"),
            cmac=None if cmac is None else cmac_from_json(cmac, f"{w}.cmac"),
            crypto_info=crypto_from_json(get(obj, "crypto_info", w), f"{w}.crypto_info"),
            owner=owners_from_json(get(obj, "owner", w), f"{w}.owner"),
            uuid=as_uuid(get(obj, "uuid", w), f"{w}.uuid"),
        )


def files_to_json(files: Mapping[str, InputFile] | Mapping[str, OutputFile]) -> JSONValue:
    return {"inner": {name: f.to_json() for name, f in sorted(files.items())}}
