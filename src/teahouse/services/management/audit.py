"""The audit log: durable entries in the key-value store, searched through an SQLite FTS5 index.

``SaveLogs`` stores its entries in chunks of at most :data:`CHUNK` entries, each under
``audit-<16-digit microsecond of its first entry>-<random hex>`` with a JSON array of
:class:`~teahouse.model.AuditEntry` values, all chunks in one atomic batch, then indexes them.
(Chunks rather than one key per entry: rebuilding the index reads one key per chunk, which matters
when each read is a round trip to the storage service.) The index lives in memory and is rebuilt
from the stored chunks by :meth:`AuditLog.load` at start. ``QueryAuditLogs`` takes
Tantivy's query syntax (see ``_audit_query``), answers newest first, at most ``limit`` entries.

Teaclave kept its Tantivy index files in the storage service under ``tantivy/<file>`` instead; the
stored entries here are the source of truth and the index is disposable.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable

from teahouse.errors import PermissionDenied
from teahouse.kv import KeyValueStore, WriteBatch
from teahouse.model import AuditEntry
from teahouse.model._audit import IP_SIZE, UNKNOWN_IP
from teahouse.model._json import JSONValue, as_list, dumps, loads
from teahouse.services.management import _audit_query
from teahouse.services.management._caller import Caller, identify
from teahouse.services.management.errors import AuditError, InvalidRequest
from teahouse.services.management.messages import (
    QueryAuditLogsRequest,
    QueryAuditLogsResponse,
    SaveLogsRequest,
)

AUDIT_PREFIX = b"audit"
CHUNK = 512
"""Entries per stored value: about 100 KiB, far below the 4 MiB message limit."""
_SQLITE_MAX_INT = 2**63 - 1

_SCHEMA = """
CREATE TABLE chunks (key BLOB PRIMARY KEY);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    microsecond INTEGER NOT NULL,
    ip BLOB NOT NULL,
    user TEXT NOT NULL,
    message TEXT NOT NULL,
    result INTEGER NOT NULL
);
CREATE INDEX entries_by_time ON entries (microsecond, id);
CREATE VIRTUAL TABLE entries_fts USING fts5(
    user, message, ip, result, tokenize = 'unicode61 remove_diacritics 0'
);
"""


def chunk_key(first: AuditEntry, suffix: str) -> bytes:
    return b"%s-%016d-%s" % (AUDIT_PREFIX, first.microsecond, suffix.encode())


def encode_chunk(entries: list[AuditEntry]) -> bytes:
    return dumps([e.to_json() for e in entries])


def decode_chunk(data: bytes) -> list[AuditEntry]:
    items: JSONValue = loads(data, "audit chunk")
    return [AuditEntry.from_json(item) for item in as_list(items, "audit chunk")]


def _validated(entry: AuditEntry) -> AuditEntry:
    if entry.microsecond < 0:
        raise InvalidRequest(f"logs: microsecond must not be negative, got {entry.microsecond}")
    if not entry.ip:
        return AuditEntry(entry.microsecond, UNKNOWN_IP, entry.user, entry.message, entry.result)
    if len(entry.ip) != IP_SIZE:
        raise InvalidRequest(f"logs: ip must be {IP_SIZE} bytes, got {len(entry.ip)}")
    return entry


class AuditLog:
    """Stores and searches audit entries. Call :meth:`load` once before serving queries."""

    def __init__(
        self, kv: KeyValueStore, *, random_suffix: Callable[[], str] = lambda: secrets.token_hex(8)
    ) -> None:
        self._kv = kv
        self._suffix = random_suffix
        self._db = sqlite3.connect(":memory:")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    async def load(self) -> int:
        """Index every stored entry not indexed yet; returns how many were added."""
        added = 0
        for key in await self._kv.keys_with_prefix(AUDIT_PREFIX):
            if self._db.execute("SELECT 1 FROM chunks WHERE key = ?", (key,)).fetchone():
                continue
            raw = await self._kv.get(key)
            if raw is not None:
                entries = decode_chunk(raw)
                self._index(key, entries)
                added += len(entries)
        self._db.commit()
        return added

    async def save_logs(self, request: SaveLogsRequest) -> None:
        """Internal RPC of the frontend (no caller check): store the entries durably, then index them."""
        entries = [_validated(e) for e in request.logs]
        chunks = [entries[i : i + CHUNK] for i in range(0, len(entries), CHUNK)]
        keyed = [(chunk_key(chunk[0], self._suffix()), chunk) for chunk in chunks]
        if not keyed:
            return
        batch = WriteBatch()
        for key, chunk in keyed:
            batch.expect(key, None).put(key, encode_chunk(chunk))
        await self._kv.commit(batch)
        for key, chunk in keyed:
            self._index(key, chunk)
        self._db.commit()

    async def query_audit_logs(
        self, caller: Caller, request: QueryAuditLogsRequest
    ) -> QueryAuditLogsResponse:
        """PlatformAdmin only. Newest first, at most ``limit`` entries."""
        me = identify(caller)
        if not me.is_admin:
            raise PermissionDenied()
        return QueryAuditLogsResponse(self.search(request.query, request.limit))

    def search(self, query: str, limit: int) -> list[AuditEntry]:
        node = _audit_query.parse(query)
        if limit <= 0:
            return []
        condition, params = _audit_query.to_sql(node, "entries_fts")
        sql = (
            "SELECT microsecond, ip, user, message, result FROM entries "
            f"WHERE {condition} ORDER BY microsecond DESC, id DESC LIMIT ?"
        )
        try:
            rows = self._db.execute(sql, [*params, min(limit, _SQLITE_MAX_INT)]).fetchall()
        except sqlite3.Error as exc:  # the parser should make this unreachable; never a bare 500
            raise AuditError(str(exc)) from exc
        return [
            AuditEntry(us, bytes(ip), user, message, bool(result)) for us, ip, user, message, result in rows
        ]

    def _index(self, key: bytes, entries: list[AuditEntry]) -> None:
        self._db.execute("INSERT INTO chunks (key) VALUES (?)", (key,))
        for entry in entries:
            cursor = self._db.execute(
                "INSERT INTO entries (microsecond, ip, user, message, result) VALUES (?, ?, ?, ?, ?)",
                (entry.microsecond, entry.ip, entry.user, entry.message, int(entry.result)),
            )
            self._db.execute(
                "INSERT INTO entries_fts (rowid, user, message, ip, result) VALUES (?, ?, ?, ?, ?)",
                (
                    cursor.lastrowid,
                    entry.user,
                    entry.message,
                    entry.ip_text,
                    "true" if entry.result else "false",
                ),
            )
