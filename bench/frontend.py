"""Logins per second and authenticated frontend calls per second through the whole pipeline
(token check → access control → management → storage and back, plus the audit entry), each beside
one plain unary call over the same attested channel: a ListFunctions without credentials, which
the frontend answers at its first step."""

from __future__ import annotations

import asyncio
import contextlib
import time

from grpclib.exceptions import GRPCError

from bench._platform import running_platform, stubs
from teahouse.proto import teaclave_authentication_service_pb2 as auth_pb
from teahouse.proto import teaclave_frontend_service_pb2 as fe

LOGINS = 40
CALLS = 400
CONCURRENCY = 8


async def _rate(n: int, call, concurrency: int = 1) -> float:  # type: ignore[no-untyped-def]
    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
    return (n // concurrency * concurrency) / (time.perf_counter() - start)


async def run(platform) -> None:  # type: ignore[no-untyped-def]
    auth, frontend, channels = stubs(platform)
    token = (await auth.UserLogin(auth_pb.UserLoginRequest(id="admin", password="teaclave"))).token
    md = {"id": "admin", "token": token}
    login = auth_pb.UserLoginRequest(id="admin", password="teaclave")
    listing = fe.ListFunctionsRequest(user_id="admin")

    async def refused() -> None:
        with contextlib.suppress(GRPCError):
            await frontend.ListFunctions(listing)  # no metadata: the frontend answers at once

    await refused()
    await frontend.ListFunctions(listing, metadata=md)
    rows = []
    for concurrency in (1, CONCURRENCY):
        unit = await _rate(CALLS, refused, concurrency)
        logins = await _rate(LOGINS, lambda: auth.UserLogin(login), concurrency)
        calls = await _rate(CALLS, lambda: frontend.ListFunctions(listing, metadata=md), concurrency)
        rows.append((concurrency, unit, logins, calls))
    header = ("in flight", "plain call/s", "logins/s", "ratio", "pipeline calls/s", "ratio")
    print("{:>9} {:>13} {:>9} {:>7} {:>17} {:>7}".format(*header))
    for concurrency, unit, logins, calls in rows:
        print(
            f"{concurrency:>9} {unit:>13,.0f} {logins:>9,.1f} {logins / unit:>7.3f}"
            f" {calls:>17,.0f} {calls / unit:>7.3f}"
        )
    print("(a login costs one PBKDF2-SHA512 with 100,000 iterations by design)")
    for channel in channels:
        channel.close()


def main() -> None:
    with running_platform() as platform:
        asyncio.run(run(platform))


if __name__ == "__main__":
    main()
