"""The audit log: durable entries, the FTS5 index and Tantivy's query syntax (spec/behaviour.md §7)."""

from __future__ import annotations

import json

import pytest

from teahouse.errors import Code, PermissionDenied
from teahouse.kv import MemoryKeyValueStore
from teahouse.model import AuditEntry, entry_ip
from teahouse.services.management import AuditLog, Caller, ManagementService
from teahouse.services.management import messages as m
from teahouse.services.management.audit import CHUNK, decode_chunk
from teahouse.services.management.errors import InvalidAuditQuery, InvalidRequest

from .conftest import ADMIN

ADMIN_USER = "{ user: admin, role: PlatformAdmin }"
BANK_USER = '{ user: alice, role: DataOwner("bank") }'
T0 = 1_700_000_000_000_000

ENTRIES = [
    AuditEntry(T0 + 1, entry_ip("127.0.0.1"), ADMIN_USER, "register_function", True),
    AuditEntry(T0 + 2, entry_ip("10.1.2.3"), "", "authenticate to create_task: authentication failed", False),
    AuditEntry(T0 + 3, entry_ip("::1"), BANK_USER, "create_task", True),
    AuditEntry(T0 + 4, entry_ip("127.0.0.1"), BANK_USER, "invoke_task:failed to invoke task", False),
    AuditEntry(T0 + 5, entry_ip(None), ADMIN_USER, "query_audit_logs", True),
    AuditEntry(T0 + 6, entry_ip("127.0.0.1"), "", "authenticate to get_task", False),
    AuditEntry(T0 + 7, entry_ip("127.0.0.1"), ADMIN_USER, "get_function", True),
]


@pytest.fixture
async def logged(svc: ManagementService) -> ManagementService:
    await svc.save_logs(m.SaveLogsRequest(ENTRIES[:4]))
    await svc.save_logs(m.SaveLogsRequest(ENTRIES[4:]))
    return svc


async def query(svc: ManagementService, q: str, limit: int = 100) -> list[int]:
    reply = await svc.query_audit_logs(ADMIN, m.QueryAuditLogsRequest(q, limit))
    return [e.microsecond - T0 for e in reply.logs]


async def test_entries_are_stored_durably_in_chunks_under_audit_keys(
    logged: ManagementService, kv: MemoryKeyValueStore
) -> None:
    keys = await kv.keys_with_prefix(b"audit")
    assert [k[: len("audit-") + 17] for k in keys] == [b"audit-%016d-" % (T0 + 1), b"audit-%016d-" % (T0 + 5)]
    stored = [e for k in keys for e in decode_chunk(await kv.get(k) or b"")]
    assert stored == ENTRIES
    assert json.loads(await kv.get(keys[0]) or b"")[0] == ENTRIES[0].to_json()


async def test_large_batches_are_split_into_chunks(kv: MemoryKeyValueStore) -> None:
    log = AuditLog(kv)
    many = [AuditEntry(i, bytes(16), "u", "m", True) for i in range(2 * CHUNK + 1)]
    await log.save_logs(m.SaveLogsRequest(many))
    keys = await kv.keys_with_prefix(b"audit")
    assert [len(decode_chunk(await kv.get(k) or b"")) for k in keys] == [CHUNK, CHUNK, 1]
    assert len(log.search("*", 10_000)) == len(many)
    fresh = AuditLog(kv)
    assert await fresh.load() == len(many)
    log.close()
    fresh.close()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("user:admin", [7, 5, 1]),
        ("message:register_function", [1]),
        ("register_function", [1]),  # the default field is message
        ("message:authenticate", [6, 2]),
        ("authenticate", [6, 2]),
        ("user:bank", [4, 3]),
        ('user:"DataOwner(\\"bank"', [4, 3]),
        ("create_task", [3, 2]),
        ('"create task"', [3, 2]),
        ('"task create"', []),
        ("message:(create_task OR get_task)", [6, 3, 2]),
        ("create_task get_task", [6, 3, 2]),  # terms side by side are alternatives, as in Tantivy
        ("user:alice AND message:invoke_task", [4]),
        ("user:alice AND NOT failed", [3]),
        ("user:alice -failed", [3]),
        ("+user:alice +failed", [4]),
        ("NOT user:admin", [6, 4, 3, 2]),
        ("result:false", [6, 4, 2]),
        ("result:true AND user:admin", [7, 5, 1]),
        ("ip:10.1.2.3", [2]),
        ("ip:127.0.0.1 AND result:true", [7, 1]),
        ("authent*", [6, 2]),
        ("AUTHENTICATE", [6, 2]),  # lower-cased
        ("(user:admin OR user:alice) AND result:false", [4]),
        (f"date:[{T0 + 2} TO {T0 + 4}]", [4, 3, 2]),
        (f"date:{{{T0 + 2} TO {T0 + 4}}}", [3]),
        (f"date:[{T0 + 6} TO *]", [7, 6]),
        ("date:[2023-11-14T22:13:20.000003Z TO 2023-11-14T22:13:20.000004Z]", [4, 3]),
        ("*", [7, 6, 5, 4, 3, 2, 1]),
        ("", [7, 6, 5, 4, 3, 2, 1]),
        ("nothing_like_this", []),
    ],
)
async def test_queries(logged: ManagementService, q: str, expected: list[int]) -> None:
    assert await query(logged, q) == expected


async def test_newest_first_and_at_most_limit(logged: ManagementService) -> None:
    assert await query(logged, "*", 3) == [7, 6, 5]
    assert await query(logged, "*", 0) == []
    assert await query(logged, "*", 2**64 - 1) == [7, 6, 5, 4, 3, 2, 1]


async def test_returned_entries_are_complete(logged: ManagementService) -> None:
    reply = await logged.query_audit_logs(ADMIN, m.QueryAuditLogsRequest("message:register_function", 10))
    assert reply.logs == [ENTRIES[0]]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("(", "unbalanced '(' at position 0"),
        ("a)", "unbalanced ')' at position 1"),
        ('"abc', "unterminated phrase starting at position 0"),
        ("a AND", "AND at position 2 needs a term after it"),
        ("OR a", "OR at position 0 needs a term before it"),
        ("foo:bar", "unknown field 'foo' at position 0 (known fields: date, ip, message, result, user)"),
        ("user:", "field 'user' at position 0 needs a value"),
        ("::", "'::' at position 0 has no letters or digits to search for"),
        ("date:[x TO y]", "'x' at position 6 is neither an RFC 3339 date nor microseconds"),
        ("date:[1 2]", "must read [<from> TO <to>]"),
        ("date:tomorrow", "field 'date' at position 0 takes a range"),
        ("()", "empty parentheses at position 0"),
        ("(" * 70 + "a" + ")" * 70, "nested deeper than 64"),
        ("a" * 5000, "longer than 4096 characters"),
    ],
)
async def test_malformed_queries_are_invalid_arguments(
    logged: ManagementService, q: str, message: str
) -> None:
    with pytest.raises(InvalidAuditQuery) as info:
        await logged.query_audit_logs(ADMIN, m.QueryAuditLogsRequest(q, 10))
    assert info.value.code is Code.INVALID_ARGUMENT
    assert info.value.message == f"invalid audit query: {message}" or message in info.value.message


async def test_queries_are_for_platform_admins_only(logged: ManagementService) -> None:
    for caller in (
        Caller("alice", "DataOwner-bank"),
        Caller("f", "FunctionOwner"),
        Caller("x", "DataOwnerManager-b"),
    ):
        with pytest.raises(PermissionDenied):
            await logged.query_audit_logs(caller, m.QueryAuditLogsRequest("*", 10))


async def test_fts_syntax_in_user_text_is_only_text(logged: ManagementService) -> None:
    """Query words are tokenised and quoted; FTS5 operators and SQL in them have no effect."""
    assert await query(logged, 'message:"NEAR(a b)"') == []
    assert await query(logged, 'message:"x\'); DROP TABLE entries; --"') == []
    assert await query(logged, "*") == [7, 6, 5, 4, 3, 2, 1]


async def test_the_index_is_rebuilt_from_the_store_at_start(
    logged: ManagementService, kv: MemoryKeyValueStore
) -> None:
    fresh = await ManagementService.open(kv)
    try:
        assert await query(fresh, "user:admin") == [7, 5, 1]
        assert await fresh.audit.load() == 0  # nothing new to index
    finally:
        fresh.close()


async def test_save_logs_validation(svc: ManagementService, kv: MemoryKeyValueStore) -> None:
    with pytest.raises(InvalidRequest, match="ip must be 16 bytes, got 4"):
        await svc.save_logs(m.SaveLogsRequest([AuditEntry(1, b"\x7f\x00\x00\x01", "", "x", True)]))
    with pytest.raises(InvalidRequest, match="must not be negative"):
        await svc.save_logs(m.SaveLogsRequest([AuditEntry(-1, bytes(16), "", "x", True)]))
    await svc.save_logs(m.SaveLogsRequest([AuditEntry(1, b"", "", "x", True)]))  # empty ip: unknown (::)
    assert (await svc.query_audit_logs(ADMIN, m.QueryAuditLogsRequest("x", 1))).logs[0].ip == bytes(16)
    await svc.save_logs(m.SaveLogsRequest([]))
    assert len(await kv.keys_with_prefix(b"audit")) == 1


async def test_same_microsecond_entries_are_all_kept(kv: MemoryKeyValueStore) -> None:
    log = AuditLog(kv)
    same = [AuditEntry(5, bytes(16), "u", f"m{i}", True) for i in range(10)]
    await log.save_logs(m.SaveLogsRequest(same))
    assert len(log.search("*", 100)) == 10
    log.close()
