"""What every management domain class holds: the store and the source of new UUIDs."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from teahouse.kv import KeyValueStore


class DomainService:
    def __init__(self, kv: KeyValueStore, *, new_uuid: Callable[[], uuid.UUID] = uuid.uuid4) -> None:
        self._kv = kv
        self._new_uuid = new_uuid
