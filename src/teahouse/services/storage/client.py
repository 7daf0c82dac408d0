"""The storage service's client: a :class:`~teahouse.kv.KeyValueStore` over an attested channel."""

from __future__ import annotations

from grpclib.client import Channel
from grpclib.exceptions import GRPCError

from teahouse.kv import CommitConflict, WriteBatch
from teahouse.proto import teaclave_storage_service_pb2 as pb
from teahouse.proto.teaclave_storage_service_grpc import TeaclaveStorageStub
from teahouse.rpc.errors import from_grpc

_TIMEOUT = 30.0


class StorageClient:
    def __init__(self, channel: Channel, *, timeout: float = _TIMEOUT) -> None:
        self._stub = TeaclaveStorageStub(channel)
        self._timeout = timeout

    async def get(self, key: bytes) -> bytes | None:
        try:
            reply = await self._stub.Lookup(pb.GetRequest(key=key), timeout=self._timeout)
        except GRPCError as exc:
            raise from_grpc(exc) from None
        return reply.value if reply.found else None

    async def put(self, key: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().put(key, value))

    async def delete(self, key: bytes) -> None:
        await self.commit(WriteBatch().delete(key))

    async def keys_with_prefix(self, prefix: bytes) -> list[bytes]:
        try:
            reply = await self._stub.GetKeysByPrefix(
                pb.GetKeysByPrefixRequest(prefix=prefix), timeout=self._timeout
            )
        except GRPCError as exc:
            raise from_grpc(exc) from None
        return list(reply.keys)

    async def enqueue(self, queue: bytes, value: bytes) -> None:
        await self.commit(WriteBatch().enqueue(queue, value))

    async def dequeue(self, queue: bytes) -> bytes | None:
        try:
            reply = await self._stub.TryDequeue(pb.DequeueRequest(key=queue), timeout=self._timeout)
        except GRPCError as exc:
            raise from_grpc(exc) from None
        return reply.value if reply.found else None

    async def wait_dequeue(
        self, queue: bytes, timeout: float, *, hold_key: bytes | None = None
    ) -> bytes | None:
        """Pop the head of ``queue``, waiting up to ``timeout`` seconds for an element.

        With ``hold_key`` the popped value is also stored under that key, atomically; raises
        :class:`CommitConflict` if the key already holds a value.
        """
        request = pb.WaitDequeueRequest(
            key=queue, timeout_ms=max(0, round(timeout * 1000)), hold_key=hold_key or b""
        )
        try:
            reply = await self._stub.WaitDequeue(request, timeout=timeout + self._timeout)
        except GRPCError as exc:
            if int(exc.status.value) == int(CommitConflict.code):
                raise CommitConflict(exc.message) from None
            raise from_grpc(exc) from None
        return reply.value if reply.found else None

    async def commit(self, batch: WriteBatch) -> None:
        request = pb.CommitRequest(
            puts=[pb.PutRequest(key=k, value=v) for k, v in batch.puts],
            deletes=[pb.DeleteRequest(key=k) for k in batch.deletes],
            enqueues=[pb.EnqueueRequest(key=k, value=v) for k, v in batch.enqueues],
            expects=[pb.Expectation(key=k, present=v is not None, value=v or b"") for k, v in batch.expects],
        )
        try:
            await self._stub.Commit(request, timeout=self._timeout)
        except GRPCError as exc:
            err = from_grpc(exc)
            if int(exc.status.value) == int(CommitConflict.code):
                raise CommitConflict(exc.message) from None
            raise err from None
