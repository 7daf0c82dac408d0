"""``teahouse function``: register from a payload, show, list, update, stats, disable, delete."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from .conftest import Cli, fresh, user_cli

pytestmark = pytest.mark.e2e

PAYLOAD = b"def entrypoint(argv):\n    return argv[1]\n"


def test_register_show_update_delete(admin: Cli, tmp_path: Path) -> None:
    payload = tmp_path / "echo.py"
    payload.write_bytes(PAYLOAD)
    name = fresh("py-echo")
    function_id = admin.json(
        "function", "register", name, "--executor-type", "python", "--payload", str(payload),
        "--description", "echoes", "--arg", "message", "--arg", "mode=fast:fixed",
        "--input", "data:optional", "--output", "result", "--private", "--allow", "bob", "--quota", "5",
    )["function_id"]  # fmt: skip
    assert function_id.startswith("function-")

    shown = admin.json("function", "show", function_id)
    assert shown == {
        "function_id": function_id,
        "name": name,
        "description": "echoes",
        "executor_type": "python",
        "owner": "admin",
        "public": False,
        "arguments": [
            {"key": "message", "default_value": "", "allow_overwrite": True},
            {"key": "mode", "default_value": "fast", "allow_overwrite": False},
        ],
        "inputs": [{"name": "data", "description": "", "optional": True}],
        "outputs": [{"name": "result", "description": "", "optional": False}],
        "user_allowlist": ["bob"],
        "payload_size": len(PAYLOAD),
        "payload_sha256": hashlib.sha256(PAYLOAD).hexdigest(),
    }
    table = admin.ok("function", "show", function_id, "--save-payload", str(tmp_path / "back.py")).stdout
    assert name in table and "mode" in table and "'fast'" in table
    assert (tmp_path / "back.py").read_bytes() == PAYLOAD

    assert admin.json("function", "stats", function_id) == {
        "function_id": function_id,
        "quota": 5,
        "unlimited": False,
        "current_usage": 0,
    }
    assert function_id in admin.json("function", "list")["registered"]
    listed = admin.json("function", "list", "-l")["functions"][function_id]
    assert listed == {"name": name, "executor_type": "python", "public": False}

    assert admin.json("function", "update", function_id, "--description", "v2", "--public") == {
        "function_id": function_id
    }
    updated = admin.json("function", "show", function_id)
    assert updated["description"] == "v2" and updated["public"] is True
    assert updated["arguments"] == shown["arguments"] and updated["payload_sha256"] == shown["payload_sha256"]
    assert admin.json("function", "stats", function_id)["quota"] == 5  # kept
    admin.ok("function", "update", function_id, "--arg", "message", "--clear", "inputs", "--quota", "-1")
    updated = admin.json("function", "show", function_id)
    assert [a["key"] for a in updated["arguments"]] == ["message"] and updated["inputs"] == []
    assert admin.json("function", "stats", function_id)["unlimited"] is True

    assert admin.ok("function", "delete", function_id).stdout == f"Deleted function {function_id}\n"
    gone = admin.run("function", "show", function_id)
    assert gone.code == 1
    assert gone.error == (
        f"error: function show refused: invalid function id "
        f"(no function {function_id}; check the id (`teahouse function list`))"
    )


def test_disable_and_the_owner_only_rules(admin: Cli, tmp_path: Path) -> None:
    owner_name, owner = user_cli(admin, tmp_path, "FunctionOwner")
    function_id = owner.json("function", "register", "builtin-echo", "--arg", "message")["function_id"]
    assert owner.json("function", "list") == {"registered": [function_id], "allowed": []}
    assert "1 functions" in owner.ok("function", "list").stdout

    _, stranger = user_cli(admin, tmp_path, "FunctionOwner")
    refused = stranger.run("function", "delete", function_id)
    assert refused.code == 1
    assert refused.error.startswith("error: function delete refused: permission denied (user function")

    assert owner.json("function", "disable", function_id) == {"ok": True, "function_id": function_id}
    assert owner.json("function", "list")["registered"] == []
    other = admin.run("function", "list", "--user", owner_name, "--json")
    assert other.code == 0 and other.json()["registered"] == []


def test_unknown_function(admin: Cli) -> None:
    outcome = admin.run("function", "stats", "function-00000000-0000-0000-0000-000000000000")
    assert outcome.code == 1 and "invalid function id" in outcome.error
