"""``teahouse user``: every role's user management through the real authentication service."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli, fresh, user_cli

pytestmark = pytest.mark.e2e


def test_register_list_update_reset_delete(admin: Cli, tmp_path: Path) -> None:
    name = fresh("alice")
    outcome = admin.ok(
        "user", "register", name, "--role", "DataOwner", "--attribute", "bank", "--password", "pw"
    )
    assert outcome.stdout == f"Registered {name} as DataOwner of bank.\n"
    assert name in admin.json("user", "list")["users"]
    assert name in admin.ok("user", "list").stdout

    again = admin.run("user", "register", name, "--role", "DataOwner", "--password", "pw")
    assert again.code == 1
    assert (
        again.error == "error: user register refused: user id exist (that user id is taken; choose another)"
    )

    assert admin.json("user", "update", name, "--role", "FunctionOwner", "--password", "pw2") == {
        "ok": True,
        "user": name,
        "role": "FunctionOwner",
    }
    password = admin.json("user", "reset", name)["password"]
    assert len(password) == 32
    home = tmp_path / name
    home.mkdir()
    alice = Cli(home, dict(admin.env))
    assert alice.run("login", name, "--password", "pw2").code == 1
    alice.ok("login", name, "--password", password)
    alice.ok("user", "passwd", "--password", "mine")
    alice.ok("login", name, "--password", "mine")

    assert admin.ok("user", "delete", name).stdout == f"Deleted {name}.\n"
    assert name not in admin.json("user", "list")["users"]
    gone = alice.run("login", name, "--password", "mine")
    assert (gone.code, gone.error) == (1, "error: login failed: wrong user id or password")


def test_passwords_are_prompted_twice(admin: Cli) -> None:
    name = fresh("prompted")
    admin.ok("user", "register", name, "--role", "FunctionOwner", input="pw\npw\n")
    assert name in admin.json("user", "list")["users"]


def test_a_data_owner_manager_manages_its_group(admin: Cli, tmp_path: Path) -> None:
    group = fresh("bank")
    _, manager = user_cli(admin, tmp_path, "DataOwnerManager", group)
    member = fresh("member")
    manager.ok("user", "register", member, "--role", "DataOwner", "--attribute", group, "--password", "pw")
    assert manager.json("user", "list", "--group", group) == {"users": [member]}

    refused = manager.run("user", "register", fresh("x"), "--role", "PlatformAdmin", "--password", "pw")
    assert refused.code == 1
    assert refused.error.startswith("error: user register refused: permission denied (user ")
    refused = manager.run("user", "delete", "admin")
    assert refused.code == 1 and "permission denied" in refused.error
