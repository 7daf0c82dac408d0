"""gRPC face of the storage service (spec/wire.md §1.5, §7.1) plus Teahouse's additions."""

from __future__ import annotations

from google.protobuf.empty_pb2 import Empty

from teahouse.kv import WriteBatch
from teahouse.proto import teaclave_storage_service_pb2 as pb
from teahouse.services.storage.service import StorageFailure, StorageService


class StorageHandlers:
    def __init__(self, service: StorageService) -> None:
        self._service = service

    async def get(self, request: pb.GetRequest) -> pb.GetResponse:
        value = await self._service.get(request.key)
        if value is None:
            raise StorageFailure()
        return pb.GetResponse(value=value)

    async def put(self, request: pb.PutRequest) -> Empty:
        await self._service.put(request.key, request.value)
        return Empty()

    async def delete(self, request: pb.DeleteRequest) -> Empty:
        await self._service.delete(request.key)
        return Empty()

    async def enqueue(self, request: pb.EnqueueRequest) -> Empty:
        await self._service.enqueue(request.key, request.value)
        return Empty()

    async def dequeue(self, request: pb.DequeueRequest) -> pb.DequeueResponse:
        value = await self._service.dequeue(request.key)
        if value is None:
            raise StorageFailure()
        return pb.DequeueResponse(value=value)

    async def get_keys_by_prefix(self, request: pb.GetKeysByPrefixRequest) -> pb.GetKeysByPrefixResponse:
        return pb.GetKeysByPrefixResponse(keys=await self._service.keys_with_prefix(request.prefix))

    async def lookup(self, request: pb.GetRequest) -> pb.LookupResponse:
        value = await self._service.get(request.key)
        return pb.LookupResponse(found=value is not None, value=value or b"")

    async def try_dequeue(self, request: pb.DequeueRequest) -> pb.LookupResponse:
        value = await self._service.dequeue(request.key)
        return pb.LookupResponse(found=value is not None, value=value or b"")

    async def wait_dequeue(self, request: pb.WaitDequeueRequest) -> pb.LookupResponse:
        value = await self._service.wait_dequeue(
            request.key, request.timeout_ms / 1000, request.hold_key or None
        )
        return pb.LookupResponse(found=value is not None, value=value or b"")

    async def commit(self, request: pb.CommitRequest) -> Empty:
        batch = WriteBatch(
            puts=[(p.key, p.value) for p in request.puts],
            deletes=[d.key for d in request.deletes],
            enqueues=[(e.key, e.value) for e in request.enqueues],
            expects=[(e.key, e.value if e.present else None) for e in request.expects],
        )
        await self._service.commit(batch)
        return Empty()
