"""The storage service's database: SQLite in WAL mode, values sealed, every write durable.

All methods are blocking and must be called from one thread (the service runs them on a
dedicated worker thread, which also makes requests strictly ordered). Keys are stored in clear
(prefix scans need them); values are sealed with the record key as associated data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from teahouse.crypto.sealing import Sealer
from teahouse.kv import CommitConflict, WriteBatch, prefix_range

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS queue (
    id INTEGER PRIMARY KEY,
    name BLOB NOT NULL,
    value BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_by_name ON queue (name, id);
"""


def _queue_aad(name: bytes, item_id: int) -> bytes:
    return b"queue\0" + name + b"\0" + str(item_id).encode()


def _kv_aad(key: bytes) -> bytes:
    return b"kv\0" + key


class SqliteReader:
    """Reads of committed data, from a connection of its own.

    In WAL mode a reader sees every transaction committed before it starts and never blocks the
    writer, so reads need not wait behind writes: a value whose write was acknowledged is seen.
    """

    def __init__(self, path: Path, sealer: Sealer) -> None:
        # Used from the event loop thread, which need not be the thread that opened it.
        self._db = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        self._sealer = sealer

    def close(self) -> None:
        self._db.close()

    def get(self, key: bytes) -> bytes | None:
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._sealer.unseal(row[0], _kv_aad(key))

    def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        low, high = prefix_range(prefix)
        rows = self._db.execute("SELECT key FROM kv WHERE key >= ? AND key < ? ORDER BY key", (low, high))
        return [bytes(r[0]) for r in rows]


class SqliteBackend(SqliteReader):
    """The writing connection (and its own reads, inside transactions)."""

    def __init__(self, path: Path, sealer: Sealer) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._sealer = sealer

    def dequeue(self, name: bytes, hold_key: bytes | None = None) -> bytes | None:
        """Pop the head of queue ``name``; with ``hold_key``, also store it there, atomically.

        Raises :class:`CommitConflict` (and pops nothing) if ``hold_key`` already holds a value.
        """
        with self._transaction():
            if (
                hold_key is not None
                and self._db.execute("SELECT 1 FROM kv WHERE key = ?", (hold_key,)).fetchone()
            ):
                raise CommitConflict(f"hold key {hold_key!r} is in use")
            row = self._db.execute(
                "SELECT id, value FROM queue WHERE name = ? ORDER BY id LIMIT 1", (name,)
            ).fetchone()
            if row is None:
                return None
            self._db.execute("DELETE FROM queue WHERE id = ?", (row[0],))
            value = self._sealer.unseal(row[1], _queue_aad(name, row[0]))
            if hold_key is not None:
                self._put_many([(hold_key, value)])
        return value

    def queue_depths(self) -> dict[bytes, int]:
        rows = self._db.execute("SELECT name, COUNT(*) FROM queue GROUP BY name")
        return {bytes(name): int(count) for name, count in rows}

    def commit(self, batch: WriteBatch) -> None:
        with self._transaction():
            for key, expected in batch.expects:
                if self.get(key) != expected:
                    raise CommitConflict(f"commit conflict on key {key!r}")
            self._put_many(batch.puts)
            for key in batch.deletes:
                self._db.execute("DELETE FROM kv WHERE key = ?", (key,))
            for name, value in batch.enqueues:
                (next_id,) = self._db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM queue").fetchone()
                self._db.execute(
                    "INSERT INTO queue (id, name, value) VALUES (?, ?, ?)",
                    (next_id, name, self._sealer.seal(value, _queue_aad(name, next_id))),
                )

    def _put_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        self._db.executemany(
            "INSERT INTO kv (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(key, self._sealer.seal(value, _kv_aad(key))) for key, value in items],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
