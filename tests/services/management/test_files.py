"""File RPCs (spec/behaviour.md §4.1, spec/wire.md §3.1)."""

from __future__ import annotations

import re

import pytest

from teahouse.crypto.files import Schema
from teahouse.errors import Code, PermissionDenied
from teahouse.kv import MemoryKeyValueStore
from teahouse.model import ExternalID, InputFile, OutputFile
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.errors import (
    InvalidDataId,
    InvalidOutputFile,
    InvalidRequest,
    MissingUserId,
    MissingUserRole,
)

from .conftest import AES128, CMAC, TF128, Files, data_owner

ALICE = data_owner("alice")
BOB = data_owner("bob")


async def test_register_input_file_stores_teaclaves_record(
    svc: ManagementService, kv: MemoryKeyValueStore
) -> None:
    reply = await svc.register_input_file(ALICE, m.RegisterInputFileRequest("http://h:1/a.enc", CMAC, AES128))
    eid = ExternalID.parse(reply.data_id, "input")
    stored = InputFile.from_bytes(await kv.get(eid.key) or b"")
    assert stored.url == "http://h:1/a.enc"
    assert stored.cmac == CMAC
    assert stored.owner == {"alice"}
    assert stored.crypto_info.schema is Schema.AES_GCM_128
    assert stored.uuid == eid.uuid
    got = await svc.get_input_file(ALICE, m.DataIdRequest(reply.data_id))
    assert got == m.GetFileResponse(["alice"], CMAC)


async def test_register_output_file_has_no_cmac(svc: ManagementService, files: Files) -> None:
    data_id = await files.output(ALICE)
    assert data_id.startswith("output-")
    assert await svc.get_output_file(ALICE, m.DataIdRequest(data_id)) == m.GetFileResponse(["alice"], b"")


@pytest.mark.parametrize(
    ("url", "cmac", "crypto", "message"),
    [
        ("", CMAC, TF128, "url: must not be empty"),
        ("localhost/a.enc", CMAC, TF128, "has no scheme"),
        (
            "ftp://h/a.enc",
            CMAC,
            TF128,
            "unsupported scheme 'ftp' (expected one of data, file, fusion, http, https)",
        ),
        ("http:///a.enc", CMAC, TF128, "has no host"),
        ("http://h:99999/a", CMAC, TF128, "does not parse"),
        ("http://h/a b", CMAC, TF128, "whitespace"),
        ("data:text/plain;base64", CMAC, TF128, "is not a data URL"),
        ("http://h/a", CMAC[:15], TF128, "cmac: must be 16 bytes, got 15"),
        ("http://h/a", b"", TF128, "cmac: must be 16 bytes, got 0"),
        ("http://h/a", CMAC, None, "crypto_info: required"),
        ("http://h/a", CMAC, m.FileCryptoInfo("aes-gcm-512", bytes(16), bytes(12)), "unknown crypto schema"),
        ("http://h/a", CMAC, m.FileCryptoInfo("aes-gcm-128", bytes(15), bytes(12)), "key must be 16 bytes"),
        ("http://h/a", CMAC, m.FileCryptoInfo("aes-gcm-256", bytes(32), bytes(11)), "iv must be 12 bytes"),
        ("http://h/a", CMAC, m.FileCryptoInfo("teaclave-file-128", bytes(16), bytes(12)), "iv must be empty"),
    ],
)
async def test_registration_validates_with_clear_invalid_argument(
    svc: ManagementService,
    kv: MemoryKeyValueStore,
    url: str,
    cmac: bytes,
    crypto: m.FileCryptoInfo | None,
    message: str,
) -> None:
    with pytest.raises(InvalidRequest, match=re.escape(message)) as info:
        await svc.register_input_file(ALICE, m.RegisterInputFileRequest(url, cmac, crypto))
    assert info.value.code is Code.INVALID_ARGUMENT
    if cmac == CMAC:
        with pytest.raises(InvalidRequest, match=re.escape(message)):
            await svc.register_output_file(ALICE, m.RegisterOutputFileRequest(url, crypto))
    assert kv._data == {}


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:6789/fixtures/functions/gbdt_training/train.enc",
        "https://example.org/x",
        "file:///tmp/a.enc",
        "fusion:///TEACLAVE_FUSION_BASE/x.fusion",
        "data:text/plain;base64,c+mpvRfZ0fboR0j3rTgOGDBiubSzlCt9",
    ],
)
async def test_known_schemes_are_accepted(svc: ManagementService, url: str) -> None:
    await svc.register_input_file(ALICE, m.RegisterInputFileRequest(url, CMAC, TF128))


async def test_missing_caller_metadata(svc: ManagementService) -> None:
    request = m.RegisterOutputFileRequest("http://h/a", TF128)
    with pytest.raises(MissingUserId) as info:
        await svc.register_output_file(Caller(None, "PlatformAdmin"), request)
    assert (info.value.code, info.value.message) == (Code.UNKNOWN, "missing user id")
    with pytest.raises(MissingUserRole) as info2:
        await svc.register_output_file(Caller("alice", None), request)
    assert (info2.value.code, info2.value.message) == (Code.UNKNOWN, "missing user role")


async def test_update_input_file_makes_a_new_record_and_keeps_the_old(
    svc: ManagementService, files: Files, kv: MemoryKeyValueStore
) -> None:
    old = await files.input(ALICE)
    new = (await svc.update_input_file(ALICE, m.UpdateFileRequest(old, "http://h/new.enc"))).data_id
    assert new != old and new.startswith("input-")
    old_rec = InputFile.from_bytes(await kv.get(old.encode()) or b"")
    new_rec = InputFile.from_bytes(await kv.get(new.encode()) or b"")
    assert old_rec.url == "http://localhost:6789/in.enc"
    assert (new_rec.url, new_rec.cmac, new_rec.crypto_info, new_rec.owner) == (
        "http://h/new.enc",
        old_rec.cmac,
        old_rec.crypto_info,
        old_rec.owner,
    )


async def test_update_output_file_resets_the_cmac(
    svc: ManagementService, files: Files, kv: MemoryKeyValueStore
) -> None:
    old = await files.output(ALICE)
    rec = OutputFile.from_bytes(await kv.get(old.encode()) or b"")
    await kv.put(old.encode(), OutputFile(rec.url, CMAC, rec.crypto_info, rec.owner, rec.uuid).to_bytes())
    new = (await svc.update_output_file(ALICE, m.UpdateFileRequest(old, "http://h/new.enc"))).data_id
    assert (await svc.get_output_file(ALICE, m.DataIdRequest(new))).cmac == b""
    assert (await svc.get_output_file(ALICE, m.DataIdRequest(old))).cmac == CMAC


async def test_update_refusals(svc: ManagementService, files: Files) -> None:
    mine = await files.input(ALICE)
    with pytest.raises(InvalidDataId) as info:
        await svc.update_input_file(ALICE, m.UpdateFileRequest(mine.replace("input", "output"), "http://h/x"))
    assert (info.value.code, info.value.message) == (Code.INVALID_ARGUMENT, "invalid data id")
    with pytest.raises(InvalidDataId):
        await svc.update_input_file(ALICE, m.UpdateFileRequest("input-garbage", "http://h/x"))
    with pytest.raises(PermissionDenied):
        await svc.update_input_file(BOB, m.UpdateFileRequest(mine, "http://h/x"))
    with pytest.raises(InvalidRequest, match="unsupported scheme"):
        await svc.update_input_file(ALICE, m.UpdateFileRequest(mine, "gopher://h/x"))


async def test_fusion_output_cannot_be_updated_by_one_owner(svc: ManagementService) -> None:
    fused = (await svc.register_fusion_output(ALICE, m.RegisterFusionOutputRequest(["alice", "bob"]))).data_id
    with pytest.raises(PermissionDenied):
        await svc.update_output_file(ALICE, m.UpdateFileRequest(fused, "http://h/x"))


async def test_register_fusion_output(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    data_id = (
        await svc.register_fusion_output(ALICE, m.RegisterFusionOutputRequest(["alice", "bob", "bob"]))
    ).data_id
    eid = ExternalID.parse(data_id, "output")
    rec = OutputFile.from_bytes(await kv.get(eid.key) or b"")
    assert rec.url == f"fusion:///TEACLAVE_FUSION_BASE/{eid.uuid}.fusion"
    assert rec.owner == {"alice", "bob"}
    assert rec.cmac is None
    assert rec.crypto_info.schema is Schema.TEACLAVE_FILE_128 and len(rec.crypto_info.key) == 16
    other = (await svc.register_fusion_output(BOB, m.RegisterFusionOutputRequest(["alice", "bob"]))).data_id
    other_rec = OutputFile.from_bytes(await kv.get(other.encode()) or b"")
    assert other_rec.crypto_info.key != rec.crypto_info.key  # a random key each time
    assert (await svc.get_output_file(BOB, m.DataIdRequest(data_id))).owner == ["alice", "bob"]


@pytest.mark.parametrize("owners", [["alice"], ["bob", "carol"], [], ["alice", "alice"]])
async def test_fusion_output_needs_several_owners_including_the_caller(
    svc: ManagementService, owners: list[str]
) -> None:
    with pytest.raises(PermissionDenied):
        await svc.register_fusion_output(ALICE, m.RegisterFusionOutputRequest(owners))


async def test_register_input_from_output(
    svc: ManagementService, files: Files, kv: MemoryKeyValueStore
) -> None:
    out = await files.output(ALICE)
    with pytest.raises(InvalidOutputFile) as info:
        await svc.register_input_from_output(ALICE, m.DataIdRequest(out))
    assert (info.value.code, info.value.message) == (Code.INVALID_ARGUMENT, "invalid output file")
    rec = OutputFile.from_bytes(await kv.get(out.encode()) or b"")
    await kv.put(out.encode(), OutputFile(rec.url, CMAC, rec.crypto_info, rec.owner, rec.uuid).to_bytes())
    with pytest.raises(PermissionDenied):
        await svc.register_input_from_output(BOB, m.DataIdRequest(out))
    with pytest.raises(InvalidDataId):
        await svc.register_input_from_output(ALICE, m.DataIdRequest(out.replace("output", "input")))
    new = (await svc.register_input_from_output(ALICE, m.DataIdRequest(out))).data_id
    assert new == out.replace("output-", "input-")  # same uuid
    got = InputFile.from_bytes(await kv.get(new.encode()) or b"")
    assert (got.url, got.cmac, got.crypto_info, got.owner) == (rec.url, CMAC, rec.crypto_info, rec.owner)


async def test_get_file_is_for_owners_only(svc: ManagementService, files: Files) -> None:
    data_id = await files.input(ALICE)
    with pytest.raises(PermissionDenied) as info:
        await svc.get_input_file(BOB, m.DataIdRequest(data_id))
    assert (info.value.code, info.value.message) == (Code.PERMISSION_DENIED, "permission denied")
    with pytest.raises(InvalidDataId):
        await svc.get_output_file(ALICE, m.DataIdRequest(data_id))  # an input id is not an output id
    with pytest.raises(InvalidDataId):
        await svc.get_input_file(ALICE, m.DataIdRequest("input-00000000-0000-4000-8000-000000000000"))
