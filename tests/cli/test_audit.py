"""``teahouse audit query``: what the frontend logged, for a PlatformAdmin only."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli, user_cli

pytestmark = pytest.mark.e2e


def test_query(admin: Cli, tmp_path: Path) -> None:
    admin.ok("function", "list")
    entries = admin.json("audit", "query", "message:list_functions AND user:admin", "--limit", "3")["entries"]
    assert 1 <= len(entries) <= 3
    assert all(e["message"] == "list_functions" and e["result"] is True for e in entries)
    assert entries[0]["ip"] == "127.0.0.1" and "admin" in entries[0]["user"]
    assert entries == sorted(entries, key=lambda e: e["time"], reverse=True)
    assert "list_functions" in admin.ok("audit", "query", "message:list_functions", "--limit", "1").stdout

    bad = admin.run("audit", "query", "nosuchfield:x")
    assert bad.code == 1 and "invalid audit query" in bad.error

    _, owner = user_cli(admin, tmp_path, "DataOwner", "bank")
    refused = owner.run("audit", "query", "*")
    assert refused.code == 1 and "permission denied" in refused.error
