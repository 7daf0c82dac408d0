"""A client of the counter service that verifies it with the platform's exported trust files.

python client.py --trust ./trust --address 127.0.0.1:17801 add visits 1
"""

from __future__ import annotations

import argparse
import asyncio

from counter_grpc import CounterStub
from counter_pb2 import AddRequest, GetRequest

from teahouse.sdk import Trust, attested_channel


async def call(trust_dir: str, address: str, command: str, name: str, amount: int) -> int:
    trust = Trust.load(trust_dir)
    channel = attested_channel(address, trust, "counter")
    try:
        stub = CounterStub(channel)
        if command == "add":
            reply = await stub.Add(AddRequest(name=name, amount=amount))
        else:
            reply = await stub.Get(GetRequest(name=name))
        assert channel.peer is not None
        simulated = " (SIMULATED TEE)" if channel.peer.simulated else ""
        print(f"verified counter service {channel.peer.measurement.mr_enclave_hex[:16]}…{simulated}")
        return int(reply.value)
    finally:
        channel.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trust", required=True, help="folder written by `teahouse trust export`")
    parser.add_argument("--address", default="127.0.0.1:17801")
    parser.add_argument("command", choices=["add", "get"])
    parser.add_argument("name")
    parser.add_argument("amount", type=int, nargs="?", default=1)
    args = parser.parse_args()
    print(asyncio.run(call(args.trust, args.address, args.command, args.name, args.amount)))


if __name__ == "__main__":
    main()
