"""``teahouse task`` and ``teahouse data``: whole workflows on the real platform with its execution nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from teahouse.testing.platform import LocalPlatform

from .conftest import Cli, fresh, user_cli

pytestmark = pytest.mark.e2e

ZERO_KEY = "00" * 16


@pytest.fixture
def echo(admin: Cli) -> str:
    function_id: str = admin.json("function", "register", "builtin-echo", "--arg", "message")["function_id"]
    return function_id


def test_echo_runs_to_its_result(admin: Cli, echo: str) -> None:
    created = admin.json("task", "create", echo, "--arg", "message=Hello, Teaclave!")
    task_id = created["task_id"]
    assert created["executor"] == "builtin"  # chosen from the function's executor type
    shown = admin.json("task", "show", task_id)
    assert shown["status"] == "Created" and shown["arguments"] == {"message": "Hello, Teaclave!"}
    assert shown["participants"] == ["admin"] and shown["result"] is None
    assert "nobody: a single participant needs no approval" in admin.ok("task", "show", task_id).stdout

    assert admin.ok("task", "invoke", task_id).stdout.startswith(f"Invoked {task_id}")
    assert admin.ok("task", "wait", task_id, "--timeout", "60").stdout == f"{task_id} Finished\n"
    assert admin.ok("task", "result", task_id).stdout == "Hello, Teaclave!\n"
    result = admin.json("task", "result", task_id)["result"]
    assert result["ok"] is True and result["return_value"] == "Hello, Teaclave!"
    assert result["return_value_base64"] == "SGVsbG8sIFRlYWNsYXZlIQ=="
    assert admin.json("function", "stats", echo)["current_usage"] == 1


def test_wait_gives_up_after_its_timeout(admin: Cli, echo: str) -> None:
    task_id = admin.json("task", "create", echo, "--arg", "message=x")["task_id"]
    outcome = admin.run("task", "wait", task_id, "--timeout", "0.3")
    assert outcome.code == 1
    assert outcome.error.startswith(f"error: task {task_id} did not end within 0.3 s (last status Created)")
    assert f"`teahouse task cancel {task_id}`" in outcome.error
    outcome = admin.run("task", "result", task_id)
    assert outcome.code == 1
    assert outcome.error == (
        f"error: task {task_id} has not ended yet (status Created); "
        f"run `teahouse task wait {task_id}` or add --wait SECONDS"
    )


def test_cancel(admin: Cli, echo: str) -> None:
    task_id = admin.json("task", "create", echo, "--arg", "message=x")["task_id"]
    assert admin.json("task", "cancel", task_id) == {"ok": True, "task_id": task_id}
    outcome = admin.run("task", "wait", task_id, "--json")
    assert outcome.code == 1
    assert outcome.error == f"error: task {task_id} was canceled: Task canceled"
    assert outcome.json()["status"] == "Canceled"
    again = admin.run("task", "cancel", task_id)
    assert again.code == 1 and "failed to cancel task" in again.error


def test_unknown_task_id(admin: Cli) -> None:
    task_id = "task-00000000-0000-0000-0000-000000000000"
    outcome = admin.run("task", "show", task_id)
    assert outcome.code == 1
    assert outcome.error == (
        f"error: task show refused: invalid task id (no task {task_id} is visible to you; check the task id)"
    )
    assert admin.run("task", "approve", "task-nope").code == 1


def test_a_function_that_fails(admin: Cli) -> None:
    function_id = admin.json("function", "register", "builtin-no-such-function")["function_id"]
    task_id = admin.json("task", "create", function_id)["task_id"]
    admin.ok("task", "invoke", task_id)
    outcome = admin.run("task", "wait", task_id, "--timeout", "60", "--json")
    assert outcome.code == 1
    assert outcome.error.startswith(f"error: task {task_id} failed (Finished): ")
    assert outcome.json()["result"]["ok"] is False
    assert admin.run("task", "result", task_id).code == 1


def test_two_data_owners_intersect_their_sets(admin: Cli, platform: LocalPlatform, tmp_path: Path) -> None:
    """A function owner publishes, two data owners upload, assign, approve, run and fetch."""
    _, owner = user_cli(admin, tmp_path, "FunctionOwner")
    alice_name, alice = user_cli(admin, tmp_path, "DataOwner", fresh("bank"))
    bob_name, bob = user_cli(admin, tmp_path, "DataOwner", fresh("bank"))
    function_id = owner.json(
        "function", "register", "builtin-ordered-set-intersect", "--arg", "order",
        "--input", "input_data1", "--input", "input_data2",
        "--output", "output_result1", "--output", "output_result2",
    )["function_id"]  # fmt: skip
    files = platform.config.file_roots[0] / fresh("cli")  # the folder the nodes share
    files.mkdir(parents=True)
    (tmp_path / "alice.txt").write_text("0a\n0b\n0c\n")
    (tmp_path / "bob.txt").write_text("0b\n0c\n0d\n")

    task_id = alice.json(
        "task", "create", function_id, "--arg", "order=ascending",
        "--input", f"input_data1={alice_name}", "--input", f"input_data2={bob_name}",
        "--output", f"output_result1={alice_name}", "--output", f"output_result2={bob_name}",
    )["task_id"]  # fmt: skip

    uploaded = alice.json("data", "upload", str(tmp_path / "alice.txt"), str(files / "alice.enc"))
    assert uploaded["schema"] == "teaclave-file-128" and len(uploaded["key"]) == 32
    assert uploaded["url"] == (files / "alice.enc").as_uri()
    assert alice.json("data", "show", uploaded["data_id"]) == {
        "data_id": uploaded["data_id"],
        "owners": [alice_name],
        "cmac": uploaded["cmac"],
    }
    out_a = alice.json("data", "register-output", (files / "out_a.enc").as_uri(), "--key", ZERO_KEY)[
        "data_id"
    ]
    bob_in = bob.json(
        "data", "upload", str(tmp_path / "bob.txt"), (files / "bob.enc").as_uri(), "--schema", "aes-gcm-128"
    )
    bob_out = bob.json("data", "register-output", (files / "out_b.enc").as_uri(), "--schema", "aes-gcm-256")
    assert len(bob_out["key"]) == 64 and len(bob_out["iv"]) == 24

    refused = alice.run("task", "approve", task_id)
    assert refused.code == 1 and "failed to approve task" in refused.error
    alice.ok("task", "assign", task_id, "--input", f"input_data1={uploaded['data_id']}", "--output",
             f"output_result1={out_a}")  # fmt: skip
    wrong = bob.run("task", "assign", task_id, "--input", f"input_data1={bob_in['data_id']}")
    assert wrong.code == 1 and "permission denied" in wrong.error
    bob.ok("task", "assign", task_id, "--input", f"input_data2={bob_in['data_id']}", "--output",
           f"output_result2={bob_out['data_id']}")  # fmt: skip
    alice.ok("task", "approve", task_id)
    early = alice.run("task", "invoke", task_id)
    assert early.code == 1 and "has everyone approved?" in early.error
    assert "awaiting approval" in bob.ok("task", "show", task_id).stdout
    bob.ok("task", "approve", task_id)
    not_creator = bob.run("task", "invoke", task_id)
    assert not_creator.code == 1 and "permission denied" in not_creator.error
    alice.ok("task", "invoke", task_id)

    assert alice.ok("task", "result", task_id, "--wait", "60").stdout == "2 common items\n"
    assert bob.ok("task", "result", task_id).stdout == "2 common items\n"
    fetched = alice.ok(
        "data", "fetch", task_id, "output_result1", str(files / "out_a.enc"), "--key", ZERO_KEY
    )
    assert fetched.stdout == "011"
    bob.ok(
        "data", "fetch", task_id, "output_result2", str(files / "out_b.enc"), "--schema", "aes-gcm-256",
        "--key", bob_out["key"], "--iv", bob_out["iv"], "-o", str(tmp_path / "bob.out"),
    )  # fmt: skip
    assert (tmp_path / "bob.out").read_text() == "110"

    wrong_key = alice.run(
        "data", "fetch", task_id, "output_result1", str(files / "out_a.enc"), "--key", "01" * 16
    )
    assert wrong_key.code == 1
    assert wrong_key.error.startswith("error: data fetch failed: teaclave-file-128 metadata does not verify")
    wrong_file = alice.run(
        "data", "fetch", task_id, "output_result1", str(files / "out_b.enc"), "--key", ZERO_KEY
    )
    assert wrong_file.code == 1 and "are the file, --schema, --key and --iv right?" in wrong_file.error
    exists = alice.run("data", "upload", str(tmp_path / "alice.txt"), str(files / "alice.enc"))
    assert exists.code == 1 and "refusing to overwrite" in exists.error


def test_fusion_output_and_inputs_registered_by_hand(admin: Cli, tmp_path: Path) -> None:
    partner_name, _ = user_cli(admin, tmp_path, "DataOwner", fresh("bank"))
    fusion = admin.json("data", "register-fusion", "admin", partner_name)["data_id"]
    assert admin.json("data", "show", fusion) == {
        "data_id": fusion,
        "owners": sorted(["admin", partner_name]),
        "cmac": None,
    }
    assert "(not written yet)" in admin.ok("data", "show", fusion).stdout
    unfinished = admin.run("data", "input-from-output", fusion)
    assert unfinished.code == 1 and "invalid output file" in unfinished.error

    cmac = "860030495909b84864b991865e9ad94f"
    data_id = admin.json(
        "data", "register-input", "http://localhost:6789/fixtures/functions/gbdt_training/train.enc",
        "--cmac", cmac, "--key", ZERO_KEY,
    )["data_id"]  # fmt: skip
    assert admin.json("data", "show", data_id)["cmac"] == cmac
    missing_iv = admin.run(
        "data",
        "register-input",
        "file:///x.enc",
        "--cmac",
        cmac,
        "--schema",
        "aes-gcm-128",
        "--key",
        ZERO_KEY,
    )
    assert missing_iv.code == 2 and "needs an IV" in missing_iv.error
