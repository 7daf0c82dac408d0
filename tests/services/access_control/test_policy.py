"""The shipped policy reproduces the matrix of spec/behaviour.md §3.2, and the loader's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from teahouse.services.access_control import policy
from teahouse.services.access_control.policy import (
    FRONTEND_APIS,
    PolicyError,
    decide,
    load_policy,
    parse_policy,
)

# spec/behaviour.md §3.2, row by row: api -> roles allowed besides PlatformAdmin.
FO, DOM, DO = "FunctionOwner", "DataOwnerManager", "DataOwner"
ROWS: list[tuple[list[str], frozenset[str]]] = [
    (["register_function", "update_function", "delete_function", "disable_function"], frozenset({FO})),
    (["get_function", "list_functions", "get_function_usage_stats"], frozenset({FO, DOM, DO})),
    (
        [
            "register_input_file",
            "register_output_file",
            "update_input_file",
            "update_output_file",
            "register_fusion_output",
            "register_input_from_output",
            "get_input_file",
            "get_output_file",
        ],
        frozenset({DOM, DO}),
    ),
    (
        ["create_task", "get_task", "assign_data", "approve_task", "invoke_task", "cancel_task"],
        frozenset({DOM, DO}),
    ),
    (["query_audit_logs"], frozenset()),
]
MATRIX = {api: roles for apis, roles in ROWS for api in apis}
OTHER_APIS = [
    "",
    "unknown",
    "save_logs",
    "user_register",
    "RegisterFunction",
    "Register_Function",
    "get_task ",
]
ROLES = ["PlatformAdmin", FO, DOM, DO]
DENIED_ROLES = ["Invalid", "", "rule_data_owner", "rule_function_owner", "DataOwner-a", "platformadmin"]


def test_matrix_covers_the_22_frontend_apis() -> None:
    assert set(MATRIX) == FRONTEND_APIS
    assert len(FRONTEND_APIS) == 22


@pytest.mark.parametrize("api", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix_cell(role: str, api: str) -> None:
    assert decide(role, api) is (role == "PlatformAdmin" or role in MATRIX[api])


@pytest.mark.parametrize("api", sorted(MATRIX) + OTHER_APIS)
@pytest.mark.parametrize("role", DENIED_ROLES)
def test_unknown_roles_are_denied_everything(role: str, api: str) -> None:
    assert decide(role, api) is False


@pytest.mark.parametrize("api", OTHER_APIS)
@pytest.mark.parametrize("role", ROLES)
def test_any_other_name_is_for_platform_admin_only(role: str, api: str) -> None:
    assert decide(role, api) is (role == "PlatformAdmin")


def test_default_policy_is_loaded_once() -> None:
    assert policy.default_policy() is policy.default_policy()


VALID = """
superusers = ["Root"]
[roles]
Reader = "readers"
[groups]
readers = ["get_task"]
"""


def test_parse_a_custom_policy() -> None:
    custom = parse_policy(VALID)
    assert custom.decide("Root", "anything")
    assert custom.decide("Reader", "get_task")
    assert not custom.decide("Reader", "create_task")
    assert not custom.decide("PlatformAdmin", "get_task")


def test_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(VALID)
    assert load_policy(path).decide("Reader", "get_task")


def test_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"nope\.toml"):
        load_policy(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("superusers = [", "not valid TOML"),
        ("[roles]\n[groups]\n", "lacks superusers"),
        ("extra = 1\n" + VALID, "unknown keys extra"),
        (VALID + "extra = 1\n", "[groups] extra: expected a list"),
        (VALID.replace('superusers = ["Root"]', 'superusers = "Root"'), "superusers: expected a list"),
        (VALID.replace('superusers = ["Root"]', 'superusers = [""]'), "non-empty strings"),
        (VALID.replace('Reader = "readers"', 'Reader = "writers"'), "'writers' is not a group"),
        (VALID.replace('Reader = "readers"', "Reader = 3"), "3 is not a group"),
        (VALID.replace('Reader = "readers"', 'Root = "readers"'), "already a superuser"),
        (VALID.replace('Reader = "readers"', 'Data-Reader = "readers"'), "has no '-'"),
        (VALID.replace('["get_task"]', '["get_task", "drop_tables"]'), "unknown api drop_tables"),
        (VALID.replace('["get_task"]', '["get_task", "get_task"]'), "twice"),
        (VALID.replace('["get_task"]', '"get_task"'), "readers: expected a list"),
        (VALID.replace("[roles]\nReader", "roles = 1\n[x]\nReader"), "unknown keys x"),
    ],
)
def test_malformed_policies_fail_clearly(text: str, problem: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "my-policy.toml")
    assert str(info.value).startswith("my-policy.toml: ")
    assert problem in str(info.value)


def test_policy_module_knows_nothing_of_grpc() -> None:
    source = Path(policy.__file__).read_text()
    assert "grpclib" not in source and "protobuf" not in source and "_pb2" not in source
