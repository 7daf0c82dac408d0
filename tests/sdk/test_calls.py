"""Pure request building: every call names the right RPC and fills the message as Teaclave expects."""

from __future__ import annotations

import json

import pytest

from teahouse.crypto.files import FileCrypto, InvalidFileCrypto, Schema
from teahouse.proto import teaclave_authentication_service_pb2 as auth
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.proto.teaclave_authentication_service_grpc import TeaclaveAuthenticationApiBase
from teahouse.proto.teaclave_frontend_service_grpc import TeaclaveFrontendBase
from teahouse.sdk import (
    AuthenticationError,
    Credentials,
    DataMap,
    FunctionArgument,
    FunctionInput,
    FunctionOutput,
    InvalidArgumentError,
    OwnerList,
)
from teahouse.sdk import _auth_calls as ac
from teahouse.sdk import _frontend_calls as fc
from teahouse.sdk._call import Call, metadata

KEY16 = bytes(range(16))


def test_login_sends_no_metadata_and_returns_credentials() -> None:
    call = ac.login("admin", "teaclave")
    assert call.method == "UserLogin" and not call.authenticated
    assert call.request == auth.UserLoginRequest(id="admin", password="teaclave")
    assert call.parse(auth.UserLoginResponse(token="t")) == Credentials("admin", "t")


@pytest.mark.parametrize(
    ("call", "method", "expected"),
    [
        (
            ac.register_user("u", "p", "DataOwner", "bank"),
            "UserRegister",
            auth.UserRegisterRequest(id="u", password="p", role="DataOwner", attribute="bank"),
        ),
        (
            ac.update_user("u", "p", "FunctionOwner"),
            "UserUpdate",
            auth.UserUpdateRequest(id="u", password="p", role="FunctionOwner", attribute=""),
        ),
        (ac.change_password("new"), "UserChangePassword", auth.UserChangePasswordRequest(password="new")),
        (ac.reset_password("u"), "ResetUserPassword", auth.ResetUserPasswordRequest(id="u")),
        (ac.delete_user("u"), "DeleteUser", auth.DeleteUserRequest(id="u")),
        (ac.list_users("bank"), "ListUsers", auth.ListUsersRequest(id="bank")),
    ],
)
def test_authentication_calls_carry_metadata(call: Call[object], method: str, expected: object) -> None:
    assert call.method == method and call.authenticated
    assert call.request == expected


def test_authentication_replies_are_plain_values() -> None:
    assert ac.reset_password("u").parse(auth.ResetUserPasswordResponse(password="x")) == "x"
    assert ac.list_users("u").parse(auth.ListUsersResponse(ids=["a", "b"])) == ["a", "b"]
    assert ac.delete_user("u").parse(object()) is None


def test_every_rpc_has_a_call() -> None:
    assert {name for name in dir(ac) if not name.startswith("_")} >= {
        "login",
        "register_user",
        "update_user",
        "change_password",
        "reset_password",
        "delete_user",
        "list_users",
    }
    methods = {
        fc.register_function("f", "d", "builtin").method,
        fc.update_function("function-x", "f", "d", "builtin").method,
        fc.get_function("x").method,
        fc.get_function_usage_stats("x").method,
        fc.list_functions("u").method,
        fc.delete_function("x").method,
        fc.disable_function("x").method,
        fc.register_input_file("file:///a", FileCrypto(Schema.RAW), bytes(16)).method,
        fc.register_output_file("file:///a", FileCrypto(Schema.RAW)).method,
        fc.update_input_file("x", "file:///b").method,
        fc.update_output_file("x", "file:///b").method,
        fc.register_fusion_output(["a", "b"]).method,
        fc.register_input_from_output("x").method,
        fc.get_input_file("x").method,
        fc.get_output_file("x").method,
        fc.create_task("f", {}, "builtin").method,
        fc.assign_data("t").method,
        fc.approve_task("t").method,
        fc.invoke_task("t").method,
        fc.cancel_task("t").method,
        fc.get_task("t").method,
        fc.query_audit_logs("q", 1).method,
    }
    assert methods == set(TeaclaveFrontendBase.__abstractmethods__)
    auth_methods = {
        c.method
        for c in (
            ac.login("a", "b"),
            ac.register_user("a", "b", "c"),
            ac.update_user("a", "b", "c"),
            ac.change_password("a"),
            ac.reset_password("a"),
            ac.delete_user("a"),
            ac.list_users("a"),
        )
    }
    assert auth_methods == set(TeaclaveAuthenticationApiBase.__abstractmethods__)


def test_register_function_defaults_match_teaclave_sdk() -> None:
    request = fc.register_function("echo", "an echo", "builtin").request
    assert request == fe.RegisterFunctionRequest(
        name="echo", description="an echo", executor_type="builtin", public=True, usage_quota=-1
    )


def test_register_function_with_everything() -> None:
    request = fc.register_function(
        "psi",
        "set intersection",
        "python",
        public=False,
        payload=bytearray(b"def entrypoint(argv): pass"),
        arguments=[FunctionArgument("order"), FunctionArgument("fixed", "1", allow_overwrite=False)],
        inputs=[FunctionInput("in1", "first"), FunctionInput("in2", optional=True)],
        outputs=[FunctionOutput("out1", "result")],
        user_allowlist=["user0", "user1"],
        usage_quota=5,
    ).request
    assert request.public is False and request.payload == b"def entrypoint(argv): pass"
    assert [(a.key, a.default_value, a.allow_overwrite) for a in request.arguments] == [
        ("order", "", True),
        ("fixed", "1", False),
    ]
    assert [(i.name, i.description, i.optional) for i in request.inputs] == [
        ("in1", "first", False),
        ("in2", "", True),
    ]
    assert [(o.name, o.description) for o in request.outputs] == [("out1", "result")]
    assert list(request.user_allowlist) == ["user0", "user1"] and request.usage_quota == 5


@pytest.mark.parametrize("quota", [None, -1, -7])
def test_unlimited_quota_is_minus_one(quota: int | None) -> None:
    assert fc.register_function("f", "d", "builtin", usage_quota=quota).request.usage_quota == -1


def test_update_function_sends_the_id_and_every_field_by_name() -> None:
    # Teaclave's SDK built this message positionally and raised TypeError before any RPC.
    call = fc.update_function("function-1", "f", "d", "wamr", public=False, payload=b"\0asm", usage_quota=2)
    assert call.method == "UpdateFunction"
    assert call.request == fe.UpdateFunctionRequest(
        function_id="function-1",
        name="f",
        description="d",
        executor_type="wamr",
        public=False,
        payload=b"\0asm",
        usage_quota=2,
    )
    assert call.parse(fe.UpdateFunctionResponse(function_id="function-1")) == "function-1"


def test_delete_function_calls_delete_function() -> None:
    # Teaclave's SDK called ListFunctions here.
    call = fc.delete_function("function-1")
    assert call.method == "DeleteFunction"
    assert call.request == fe.DeleteFunctionRequest(function_id="function-1")


def test_update_output_file_calls_update_output_file() -> None:
    call = fc.update_output_file("output-1", "http://h/x")
    assert call.method == "UpdateOutputFile"
    assert call.request == fe.UpdateOutputFileRequest(data_id="output-1", url="http://h/x")


def test_query_audit_logs_uses_the_query_field() -> None:
    call = fc.query_audit_logs("message:invoke_task", 10)
    assert call.request == fe.QueryAuditLogsRequest(query="message:invoke_task", limit=10)
    with pytest.raises(ValueError):
        fc.query_audit_logs("x", -1)


def test_register_files_send_crypto_info_and_cmac() -> None:
    crypto = FileCrypto(Schema.AES_GCM_128, KEY16, bytes(12))
    request = fc.register_input_file("http://h/in.enc", crypto, b"\x01" * 16).request
    assert request.url == "http://h/in.enc" and request.cmac == b"\x01" * 16
    assert (request.crypto_info.schema, request.crypto_info.key, request.crypto_info.iv) == (
        "aes-gcm-128",
        KEY16,
        bytes(12),
    )
    out = fc.register_output_file("file:///o", FileCrypto(Schema.TEACLAVE_FILE_128, KEY16)).request
    assert out.crypto_info.schema == "teaclave-file-128" and out.crypto_info.iv == b""
    with pytest.raises(InvalidFileCrypto):
        fc.register_input_file("http://h/in.enc", crypto, b"short")


def test_fusion_owners_must_be_a_list() -> None:
    assert list(fc.register_fusion_output(("a", "b")).request.owner_list) == ["a", "b"]
    with pytest.raises(TypeError):
        fc.register_fusion_output("ab")


def test_create_task_sends_arguments_as_a_json_object() -> None:
    call = fc.create_task(
        "function-1",
        {"message": "hi", "n": 3, "nested": {"a": [1, 2]}},
        "builtin",
        inputs_ownership=[OwnerList("in", ["u0", "u1"])],
        outputs_ownership={"out": ["u0"]},
    )
    request = call.request
    assert json.loads(request.function_arguments) == {"message": "hi", "n": 3, "nested": {"a": [1, 2]}}
    assert request.executor == "builtin"
    assert [(o.data_name, list(o.uids)) for o in request.inputs_ownership] == [("in", ["u0", "u1"])]
    assert [(o.data_name, list(o.uids)) for o in request.outputs_ownership] == [("out", ["u0"])]
    assert call.parse(fe.CreateTaskResponse(task_id="task-9")) == "task-9"
    assert fc.create_task("f", {}, "mesapy").request.function_arguments == "{}"


@pytest.mark.parametrize("arguments", [["not", "a", "dict"], {"x": object()}])
def test_create_task_refuses_arguments_that_are_no_json_object(arguments: object) -> None:
    with pytest.raises(TypeError):
        fc.create_task("f", arguments, "builtin")  # type: ignore[arg-type]


def test_assign_data_accepts_datamaps_or_a_dict() -> None:
    a = fc.assign_data("task-1", [DataMap("in", "input-1")], [DataMap("out", "output-1")]).request
    b = fc.assign_data("task-1", {"in": "input-1"}, {"out": "output-1"}).request
    assert a == b
    assert [(d.data_name, d.data_id) for d in a.inputs] == [("in", "input-1")]
    assert [(d.data_name, d.data_id) for d in a.outputs] == [("out", "output-1")]


def test_owner_list_takes_any_sequence_but_not_a_string() -> None:
    assert OwnerList("x", ["a"]) == OwnerList("x", ("a",))
    with pytest.raises(TypeError):
        OwnerList("x", "alice")


def test_metadata_is_id_and_token() -> None:
    assert metadata(Credentials("admin", "tok")) == {"id": "admin", "token": "tok"}
    with pytest.raises(AuthenticationError, match="not logged in"):
        metadata(None)
    with pytest.raises(InvalidArgumentError, match="ASCII"):
        metadata(Credentials("ädmin", "tok"))


def test_credentials_repr_hides_the_token() -> None:
    text = repr(Credentials("admin", "secret-token-value"))
    assert "admin" in text and "secret-token-value" not in text
