"""A client of ``teahouse executor serve``: the execution service as a standalone TEE executor.

One-way attestation: the server must verify as ``execution``; the client presents no certificate.
The payload, the arguments and the input files travel inside the attested TLS connection, and the
outputs come back the same way; nothing is stored by the service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grpclib.client import Channel

from teahouse.errors import Code
from teahouse.proto import teahouse_executor_service_pb2 as pb
from teahouse.proto.teahouse_executor_service_grpc import TeahouseExecutorStub
from teahouse.sdk._call import Call
from teahouse.sdk._connection import Address, AsyncClientBase, SyncClientBase
from teahouse.sdk._errors import SdkError
from teahouse.sdk._trust import Trust

FileSource = bytes | str | Path


@dataclass(frozen=True)
class RunResult:
    """What a successful run returned and wrote."""

    return_value: bytes
    outputs: Mapping[str, bytes] = field(default_factory=dict)
    log: tuple[str, ...] = ()


class RunFailed(SdkError):
    """The function itself failed; ``reason`` says why and ``log`` holds what it logged."""

    code = Code.UNKNOWN

    def __init__(self, reason: str, log: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.log = log
        super().__init__(f"the function failed: {reason}")


def _content(source: FileSource) -> bytes:
    return bytes(source) if isinstance(source, bytes) else Path(source).read_bytes()


def run_call(
    payload: bytes,
    *,
    arguments: Mapping[str, Any] | None,
    inputs: Mapping[str, FileSource] | None,
    outputs: Iterable[str],
    executor_type: str,
    function_name: str,
    save_log: bool,
) -> Call[RunResult]:
    request = pb.RunRequest(
        executor_type=executor_type,
        function_name=function_name,
        payload=payload,
        function_arguments=json.dumps(dict(arguments or {})),
        inputs=[pb.NamedFile(name=name, content=_content(src)) for name, src in (inputs or {}).items()],
        outputs=list(outputs),
        save_log=save_log,
    )
    return Call("Run", request, _parse, authenticated=False)


def _parse(reply: pb.RunResponse) -> RunResult:
    if not reply.ok:
        raise RunFailed(reply.failure_reason, tuple(reply.log))
    return RunResult(reply.return_value, {f.name: f.content for f in reply.outputs}, tuple(reply.log))


class AsyncExecutorClient(AsyncClientBase):
    """Runs one function per call on the standalone executor and returns its result."""

    _service = "execution"

    def __init__(
        self, address: Address, trust: Trust, *, timeout: float = 300.0, connect_timeout: float = 10.0
    ) -> None:
        super().__init__(address, trust, timeout=timeout, connect_timeout=connect_timeout)

    def _make_stub(self, channel: Channel) -> TeahouseExecutorStub:
        return TeahouseExecutorStub(channel)

    async def run(
        self,
        payload: bytes,
        *,
        arguments: Mapping[str, Any] | None = None,
        inputs: Mapping[str, FileSource] | None = None,
        outputs: Iterable[str] = (),
        executor_type: str = "python",
        function_name: str = "",
        save_log: bool = False,
    ) -> RunResult:
        """Run ``payload`` (Python source defining ``entrypoint(argv)`` by default) with the given
        arguments and input files (bytes or paths); return its value and the outputs it wrote.
        Raises :class:`RunFailed` when the function fails."""
        call = run_call(
            payload, arguments=arguments, inputs=inputs, outputs=outputs, executor_type=executor_type,
            function_name=function_name, save_log=save_log,
        )  # fmt: skip
        return await self._perform(call)


class ExecutorClient(SyncClientBase):
    """The blocking twin of :class:`AsyncExecutorClient`."""

    _async: AsyncExecutorClient

    def __init__(
        self, address: Address, trust: Trust, *, timeout: float = 300.0, connect_timeout: float = 10.0
    ) -> None:
        super().__init__(
            AsyncExecutorClient(address, trust, timeout=timeout, connect_timeout=connect_timeout)
        )

    def run(
        self,
        payload: bytes,
        *,
        arguments: Mapping[str, Any] | None = None,
        inputs: Mapping[str, FileSource] | None = None,
        outputs: Iterable[str] = (),
        executor_type: str = "python",
        function_name: str = "",
        save_log: bool = False,
    ) -> RunResult:
        """See :meth:`AsyncExecutorClient.run`."""
        return self._run(
            self._async.run(
                payload,
                arguments=arguments,
                inputs=inputs,
                outputs=outputs,
                executor_type=executor_type,
                function_name=function_name,
                save_log=save_log,
            )
        )
