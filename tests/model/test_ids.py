from __future__ import annotations

import uuid

import pytest

from teahouse.errors import Code
from teahouse.model import CorruptRecord, ExternalID, InvalidExternalID, user_key

U = "9a4c3f1e-0b2d-4c6e-8f10-1234567890ab"


def test_parse_splits_at_the_first_dash_and_normalises_the_uuid() -> None:
    eid = ExternalID.parse(f"task-{U.upper()}", "task")
    assert eid == ExternalID("task", uuid.UUID(U))
    assert str(eid) == f"task-{U}"
    assert eid.key == f"task-{U}".encode()


def test_simple_uuid_form_is_accepted() -> None:
    assert str(ExternalID.parse("input-" + U.replace("-", ""))) == f"input-{U}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "task",
        "task-",
        "-" + U,
        f"task-{U}x",
        "task-not-a-uuid",
        f"task_{U}",
        f"task-{{{U}}}",
        f"staged--{U}",
    ],
)
def test_malformed_ids_are_refused(text: str) -> None:
    with pytest.raises(InvalidExternalID) as info:
        ExternalID.parse(text)
    assert info.value.code is Code.INVALID_ARGUMENT


def test_prefix_must_match() -> None:
    with pytest.raises(InvalidExternalID, match="expected prefix 'input'"):
        ExternalID.parse(f"output-{U}", "input")


def test_json_layout_and_round_trip() -> None:
    eid = ExternalID("function", uuid.UUID(U))
    assert eid.to_json() == {"prefix": "function", "uuid": U}
    assert ExternalID.from_json(eid.to_json()) == eid
    with pytest.raises(CorruptRecord):
        ExternalID.from_json({"prefix": "function", "uuid": "nope"})


def test_user_key_is_uuid5_of_the_user_id_in_the_dns_namespace() -> None:
    assert user_key("admin") == b"user-bace0701-15e3-5144-97c5-47487d543032"
    assert user_key("admin") == f"user-{uuid.uuid5(uuid.NAMESPACE_DNS, 'admin')}".encode()
