"""Authentication figures: password hashing, token issue/validate, logins per second.

Run: ``.venv/bin/python -m bench.authentication``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import time

from teahouse.kv import MemoryKeyValueStore
from teahouse.services.access_control import decide
from teahouse.services.authentication.passwords import PasswordHasher
from teahouse.services.authentication.service import AuthenticationService
from teahouse.services.authentication.tokens import TokenCodec


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({seconds / count * 1e6:,.1f} µs each)"


def bench_sync() -> None:
    hasher = PasswordHasher()
    start = time.perf_counter()
    for _ in range(10):
        hasher.hash("teaclave")
    elapsed = time.perf_counter() - start
    print(f"PBKDF2-SHA512 100k hash:      {elapsed / 10 * 1000:.1f} ms")

    codec = TokenCodec(bytes(512))
    start = time.perf_counter()
    tokens = [codec.issue(f"user{i}", "DataOwner-bank") for i in range(5000)]
    print(f"token issue:                  {per_second(5000, time.perf_counter() - start)}")
    start = time.perf_counter()
    for i, token in enumerate(tokens):
        codec.validate(token, f"user{i}")
    print(f"token validate:               {per_second(5000, time.perf_counter() - start)}")

    start = time.perf_counter()
    for _ in range(100_000):
        decide("DataOwner", "create_task")
    print(f"access decision:              {per_second(100_000, time.perf_counter() - start)}")


async def bench_async() -> None:
    service = await AuthenticationService.open(MemoryKeyValueStore())
    await service.ensure_admin()
    token = await service.login("admin", "teaclave")
    start = time.perf_counter()
    for _ in range(2000):
        await service.authenticate("admin", token)
    print(f"authenticate (in-memory KV):  {per_second(2000, time.perf_counter() - start)}")

    for concurrency in (1, 4, 16):
        start = time.perf_counter()
        await asyncio.gather(*(service.login("admin", "teaclave") for _ in range(concurrency * 4)))
        elapsed = time.perf_counter() - start
        print(f"logins, {concurrency:2d} at a time:       {concurrency * 4 / elapsed:.1f}/s")

    # How responsive the event loop stays while 8 logins hash in threads.
    lags: list[float] = []

    async def probe() -> None:
        for _ in range(50):
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(time.perf_counter() - before - 0.005)

    await asyncio.gather(probe(), *(service.login("admin", "teaclave") for _ in range(8)))
    print(f"event-loop lag during logins: max {max(lags) * 1000:.1f} ms over {len(lags)} probes")


def main() -> None:
    bench_sync()
    asyncio.run(bench_async())


if __name__ == "__main__":
    main()
