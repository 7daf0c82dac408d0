"""Storage throughput: sealed puts and gets through the storage service's domain, beside raw
SQLite with the same durability settings (WAL, synchronous=FULL, one commit per put)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from teahouse.services.storage.service import StorageService

PUTS = 2000
GETS = 20000
VALUE = os.urandom(200)


def raw_sqlite(path: Path) -> tuple[float, float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
    start = time.perf_counter()
    for i in range(PUTS):
        db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (f"k-{i}".encode(), VALUE))
    puts = PUTS / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(GETS):
        db.execute("SELECT value FROM kv WHERE key = ?", (f"k-{i % PUTS}".encode(),)).fetchone()
    gets = GETS / (time.perf_counter() - start)
    db.close()
    return puts, gets


async def sealed_service(path: Path) -> tuple[float, float]:
    service = StorageService(path, os.urandom(32))
    start = time.perf_counter()
    for i in range(PUTS):
        await service.put(f"k-{i}".encode(), VALUE)
    puts = PUTS / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(GETS):
        await service.get(f"k-{i % PUTS}".encode())
    gets = GETS / (time.perf_counter() - start)
    service.close()
    return puts, gets


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw_puts, raw_gets = raw_sqlite(Path(tmp) / "raw.sqlite")
        puts, gets = asyncio.run(sealed_service(Path(tmp) / "sealed.sqlite"))
    print(f"{PUTS} durable puts and {GETS} gets of 200-byte values:")
    print(f"  {'':<28}{'puts/s':>10}{'gets/s':>12}")
    print(f"  {'raw SQLite':<28}{raw_puts:>10,.0f}{raw_gets:>12,.0f}")
    print(f"  {'storage service (sealed)':<28}{puts:>10,.0f}{gets:>12,.0f}")
    print(f"  {'ratio service/raw':<28}{puts / raw_puts:>10.2f}{gets / raw_gets:>12.2f}")


if __name__ == "__main__":
    main()
