from __future__ import annotations

import pytest

from teahouse.model.roles import (
    FUNCTION_OWNER,
    INVALID,
    PLATFORM_ADMIN,
    Role,
    RoleKind,
    acl_role_name,
    rust_debug_str,
)


@pytest.mark.parametrize(
    ("role", "attribute", "expected"),
    [
        ("PlatformAdmin", "ignored", PLATFORM_ADMIN),
        ("FunctionOwner", "ignored", FUNCTION_OWNER),
        ("DataOwnerManager", "bank", Role.data_owner_manager("bank")),
        ("DataOwnerManager", "", Role.data_owner_manager("")),
        ("DataOwner", "bank-a", Role.data_owner("bank-a")),
        ("DataOwner", "", Role.data_owner("")),
        ("", "", INVALID),
        ("Invalid", "", INVALID),
        ("platformadmin", "", INVALID),
        ("DataOwner-bank", "", INVALID),
    ],
)
def test_from_request(role: str, attribute: str, expected: Role) -> None:
    assert Role.from_request(role, attribute) == expected


@pytest.mark.parametrize(
    ("role", "claim", "acl", "debug"),
    [
        (PLATFORM_ADMIN, "PlatformAdmin", "PlatformAdmin", "PlatformAdmin"),
        (FUNCTION_OWNER, "FunctionOwner", "FunctionOwner", "FunctionOwner"),
        (Role.data_owner_manager("x"), "DataOwnerManager-x", "DataOwnerManager", 'DataOwnerManager("x")'),
        (Role.data_owner("x"), "DataOwner-x", "DataOwner", 'DataOwner("x")'),
        (Role.data_owner("a-b"), "DataOwner-a-b", "DataOwner", 'DataOwner("a-b")'),
        (Role.data_owner(""), "DataOwner-", "DataOwner", 'DataOwner("")'),
        (INVALID, "Invalid", "Invalid", "Invalid"),
    ],
)
def test_renderings_and_claim_round_trip(role: Role, claim: str, acl: str, debug: str) -> None:
    assert role.claim == str(role) == claim
    assert role.acl_name == acl_role_name(claim) == acl
    assert role.rust_debug() == debug
    assert Role.parse(claim) == role


@pytest.mark.parametrize(
    "claim", ["", "Invalid", "PlatformAdmin-x", "DataOwner", "DataOwnerManager", "dataowner-x", "Owner-x"]
)
def test_unrecognised_claims_parse_as_invalid(claim: str) -> None:
    assert Role.parse(claim) == INVALID
    assert not Role.parse(claim).is_valid


def test_data_owner_prefix_is_tried_first() -> None:
    # "DataOwner-Manager-x" is a DataOwner whose attribute is "Manager-x".
    assert Role.parse("DataOwner-Manager-x") == Role.data_owner("Manager-x")
    assert Role.parse("DataOwnerManager-x") == Role.data_owner_manager("x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("it's", '"it\'s"'),
        ("a\nb\tc\rd\0", r'"a\nb\tc\rd\0"'),
        ("\x1b[0m", r'"\u{1b}[0m"'),
        ("café 銀行", '"café 銀行"'),
    ],
)
def test_rust_debug_str(text: str, expected: str) -> None:
    assert rust_debug_str(text) == expected


@pytest.mark.parametrize(
    ("role", "record"),
    [
        (PLATFORM_ADMIN, "PlatformAdmin"),
        (FUNCTION_OWNER, "FunctionOwner"),
        (INVALID, "Invalid"),
        (Role.data_owner_manager("m"), {"DataOwnerManager": "m"}),
        (Role.data_owner("d"), {"DataOwner": "d"}),
    ],
)
def test_record_form(role: Role, record: object) -> None:
    assert role.to_record() == record
    assert Role.from_record(record) == role


@pytest.mark.parametrize(
    "record",
    ["DataOwner", "Admin", {"PlatformAdmin": "x"}, {"DataOwner": 3}, {"DataOwner": "a", "x": "b"}, 7, None],
)
def test_bad_records_are_rejected(record: object) -> None:
    with pytest.raises(ValueError):
        Role.from_record(record)


def test_attribute_only_on_data_roles() -> None:
    with pytest.raises(ValueError):
        Role(RoleKind.PLATFORM_ADMIN, "x")
