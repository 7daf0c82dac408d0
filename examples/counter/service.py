"""An attested counter service: the smallest complete custom service on teahouse.framework.

Named counters that survive restarts: the state is sealed with the service's TEE sealing key
(bound to its measurement), so only this very code on this deployment can read it back.
Run by ``teahouse up`` when the deployment's ``teahouse.toml`` declares it (see README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from counter_grpc import CounterBase
from counter_pb2 import AddRequest, CounterValue, GetRequest

from teahouse.crypto.sealing import Sealer
from teahouse.errors import InvalidArgument
from teahouse.framework import Environment, bind, run_service
from teahouse.fsutil import write_private
from teahouse.tee import SealPolicy

SERVICE = "counter"


class Counters:
    """The domain: named integer counters, persisted sealed after every change."""

    def __init__(self, path: Path, sealer: Sealer) -> None:
        self._path = path
        self._sealer = sealer
        self._values: dict[str, int] = {}
        if path.exists():
            self._values = json.loads(sealer.unseal(path.read_bytes(), SERVICE.encode()))

    def add(self, name: str, amount: int) -> int:
        if not name:
            raise InvalidArgument("a counter needs a name")
        self._values[name] = self._values.get(name, 0) + amount
        write_private(self._path, self._sealer.seal(json.dumps(self._values).encode(), SERVICE.encode()))
        return self._values[name]

    def get(self, name: str) -> int:
        return self._values.get(name, 0)


class CounterHandlers:
    """One coroutine per RPC, in snake_case; ``bind`` turns errors into gRPC statuses."""

    def __init__(self, counters: Counters) -> None:
        self._counters = counters

    async def add(self, request: AddRequest) -> CounterValue:
        return CounterValue(name=request.name, value=self._counters.add(request.name, request.amount))

    async def get(self, request: GetRequest) -> CounterValue:
        return CounterValue(name=request.name, value=self._counters.get(request.name))


class CounterTrustedPart:
    """``start`` serves; the framework closes the server before ``finalize`` (nothing left to do:
    every change is sealed to disk as it happens)."""

    def __init__(self, env: Environment, args: argparse.Namespace) -> None:
        self._env = env

    async def start(self) -> dict[str, str]:
        key = self._env.platform.sealing_key("counter-state", SealPolicy.MRENCLAVE)
        counters = Counters(self._env.config.home / "data" / "counter.sealed", Sealer(key))
        server = self._env.custom_server([bind(CounterBase, CounterHandlers(counters))])
        return {"api": await self._env.serve(server, self._env.config.custom_services[SERVICE].listen)}

    async def finalize(self) -> None:
        pass


if __name__ == "__main__":
    sys.exit(run_service(SERVICE, CounterTrustedPart))
