"""Input and output files: registration, update, fusion outputs and lookups (spec/behaviour.md §4.1)."""

from __future__ import annotations

from teahouse.crypto.files import FileCrypto, Schema
from teahouse.errors import PermissionDenied
from teahouse.kv import Transaction, run_transaction
from teahouse.model import InputFile, OutputFile
from teahouse.services.management import _validate as check
from teahouse.services.management._base import DomainService
from teahouse.services.management._caller import Caller, identify
from teahouse.services.management._records import input_by_id, output_by_id, save
from teahouse.services.management.errors import InvalidOutputFile
from teahouse.services.management.messages import (
    DataIdRequest,
    DataIdResponse,
    GetFileResponse,
    RegisterFusionOutputRequest,
    RegisterInputFileRequest,
    RegisterOutputFileRequest,
    UpdateFileRequest,
)

FUSION_URL = "fusion:///TEACLAVE_FUSION_BASE/{uuid}.fusion"


class FileService(DomainService):
    """The eight file RPCs. New records get fresh random UUIDs (``new_uuid`` is injectable)."""

    async def register_input_file(self, caller: Caller, request: RegisterInputFileRequest) -> DataIdResponse:
        me = identify(caller)
        record = InputFile(
            url=check.url(request.url),
            cmac=check.cmac(request.cmac),
            crypto_info=check.crypto_info(request.crypto_info),
            owner=frozenset({me.user_id}),
            uuid=self._new_uuid(),
        )
        await self._create(record)
        return DataIdResponse(str(record.external_id))

    async def register_output_file(
        self, caller: Caller, request: RegisterOutputFileRequest
    ) -> DataIdResponse:
        me = identify(caller)
        record = OutputFile(
            url=check.url(request.url),
            cmac=None,
            crypto_info=check.crypto_info(request.crypto_info),
            owner=frozenset({me.user_id}),
            uuid=self._new_uuid(),
        )
        await self._create(record)
        return DataIdResponse(str(record.external_id))

    async def update_input_file(self, caller: Caller, request: UpdateFileRequest) -> DataIdResponse:
        """A new record (new id) with the new URL; the old record stays (Teaclave's behaviour)."""
        me = identify(caller)
        new_url = check.url(request.url)

        async def body(txn: Transaction) -> InputFile:
            old = await input_by_id(txn, request.data_id)
            if old.owner != {me.user_id}:
                raise PermissionDenied()
            record = InputFile(new_url, old.cmac, old.crypto_info, old.owner, self._new_uuid())
            save(txn, record)
            return record

        return DataIdResponse(str((await run_transaction(self._kv, body)).external_id))

    async def update_output_file(self, caller: Caller, request: UpdateFileRequest) -> DataIdResponse:
        """A new record (new id, no cmac) with the new URL; the old record stays."""
        me = identify(caller)
        new_url = check.url(request.url)

        async def body(txn: Transaction) -> OutputFile:
            old = await output_by_id(txn, request.data_id)
            if old.owner != {me.user_id}:
                raise PermissionDenied()
            record = OutputFile(new_url, None, old.crypto_info, old.owner, self._new_uuid())
            save(txn, record)
            return record

        return DataIdResponse(str((await run_transaction(self._kv, body)).external_id))

    async def register_fusion_output(
        self, caller: Caller, request: RegisterFusionOutputRequest
    ) -> DataIdResponse:
        """An output owned jointly by several users, in the shared fusion directory, under a random key."""
        me = identify(caller)
        owners = frozenset(request.owner_list)
        if len(owners) < 2 or me.user_id not in owners:
            raise PermissionDenied()
        file_uuid = self._new_uuid()
        record = OutputFile(
            url=FUSION_URL.format(uuid=file_uuid),
            cmac=None,
            crypto_info=FileCrypto.generate(Schema.TEACLAVE_FILE_128),
            owner=owners,
            uuid=file_uuid,
        )
        await self._create(record)
        return DataIdResponse(str(record.external_id))

    async def register_input_from_output(self, caller: Caller, request: DataIdRequest) -> DataIdResponse:
        """Turn a written output into an input with the same UUID (``output-X`` becomes ``input-X``)."""
        me = identify(caller)

        async def body(txn: Transaction) -> InputFile:
            output = await output_by_id(txn, request.data_id)
            if me.user_id not in output.owner:
                raise PermissionDenied()
            if output.cmac is None:
                raise InvalidOutputFile()
            record = InputFile(output.url, output.cmac, output.crypto_info, output.owner, output.uuid)
            save(txn, record)
            return record

        return DataIdResponse(str((await run_transaction(self._kv, body)).external_id))

    async def get_input_file(self, caller: Caller, request: DataIdRequest) -> GetFileResponse:
        me = identify(caller)
        record = await run_transaction(self._kv, lambda txn: input_by_id(txn, request.data_id))
        if me.user_id not in record.owner:
            raise PermissionDenied()
        return GetFileResponse(sorted(record.owner), record.cmac)

    async def get_output_file(self, caller: Caller, request: DataIdRequest) -> GetFileResponse:
        me = identify(caller)
        record = await run_transaction(self._kv, lambda txn: output_by_id(txn, request.data_id))
        if me.user_id not in record.owner:
            raise PermissionDenied()
        return GetFileResponse(sorted(record.owner), record.cmac or b"")

    async def _create(self, record: InputFile | OutputFile) -> None:
        async def body(txn: Transaction) -> None:
            await txn.get(record.key)  # expect absent: never overwrite on a UUID collision
            save(txn, record)

        await run_transaction(self._kv, body, attempts=1)
