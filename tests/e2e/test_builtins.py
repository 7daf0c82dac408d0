"""Every builtin function of behaviour §5.3 through the platform, on Teaclave's fixtures.

Inputs are Teaclave's encrypted fixtures, or plaintext fixtures that the test encrypts with a
fresh key, served over HTTP by ``FileServer``; outputs are uploaded there by the execution node
and decrypted here against the cmac the task's result recorded. ``test_tasks.py`` already runs
echo, ordered-set-intersect, private-join-and-compute and password-check (``data:`` URL) to the
same outputs, so they are not repeated here.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from teahouse.crypto.files import FileCrypto, Schema, decrypt_file, encrypt_file
from teahouse.proto import teaclave_common_pb2 as common
from teahouse.proto import teaclave_frontend_service_pb2 as fe
from teahouse.testing.fileserver import FileServer

from .test_tasks import (
    TEACLAVE_FILE_ZERO,
    approve,
    assign,
    create_task,
    invoke,
    new_user,
    register_function,
    register_input,
    register_output,
    wait_status,
)
from .wire import Metadata, Wire

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures"
#: cmacs of Teaclave's encrypted fixtures (behaviour §4.8), by path under ``fixtures/``.
CMACS = {
    "gbdt_training/train.enc": "860030495909b84864b991865e9ad94f",
    "ordered_set_join/join0.csv.enc": "3f91d2744763445d265ea469debb74f0",
    "ordered_set_join/join1.csv.enc": "d1e5a520489c93d0254c8c22cdefab89",
    "py_logistic_reg/predict.enc": "3397954d135f47bcc4ffbb90a0bb51c9",
    "py_logistic_reg/train.enc": "00780510adc603725ec240ab979681f0",
    "rsa_sign/rsakey.enc": "620c16ab588ca638f3b0a2692ab078cf",
    "wamr_rust_psi/psi0.txt.enc": "fd9b319ae0fc595a98ee4135667ac0ac",
    "wamr_rust_psi/psi1.txt.enc": "93cc677d7bac5910cd7199f7d6b9ac15",
}


@dataclass(frozen=True)
class Input:
    """A registered-to-be input: where it is served, its cmac and its key."""

    url: str
    cmac: bytes
    crypto: common.FileCryptoInfo


@dataclass(frozen=True)
class Output:
    """Where an output is uploaded (``path`` on the server's disk) and its key."""

    url: str
    path: Path
    crypto: common.FileCryptoInfo


class Files:
    """A ``FileServer`` over a private copy of the fixtures; uploads land under ``out/``."""

    def __init__(self, server: FileServer) -> None:
        self.server = server
        self.root = server.root

    def fixture(self, relative: str) -> Input:
        """A Teaclave ``.enc`` fixture: teaclave-file-128 with the zero key, its cmac from §4.8."""
        return Input(self.server.url(relative), bytes.fromhex(CMACS[relative]), TEACLAVE_FILE_ZERO)

    def encrypted(self, relative: str, schema: str = "teaclave-file-128") -> Input:
        """Encrypt the plaintext fixture ``relative`` with a fresh key and serve it."""
        crypto = fresh(schema)
        served = f"in/{Path(relative).name}.enc"
        target = self.root / served
        target.parent.mkdir(exist_ok=True)
        cmac = encrypt_file(as_file_crypto(crypto), FIXTURES / relative, target)
        return Input(self.server.url(served), cmac, crypto)

    def output(self, name: str, crypto: common.FileCryptoInfo | None = None) -> Output:
        return Output(self.server.url(f"out/{name}"), self.root / "out" / name, crypto or fresh())


def fresh(schema: str = "teaclave-file-128") -> common.FileCryptoInfo:
    size = 32 if schema == "aes-gcm-256" else 16
    iv = os.urandom(12) if schema.startswith("aes-gcm") else b""
    return common.FileCryptoInfo(schema=schema, key=os.urandom(size), iv=iv)


def as_file_crypto(crypto: common.FileCryptoInfo) -> FileCrypto:
    return FileCrypto(Schema(crypto.schema), crypto.key, crypto.iv)


def read_output(output: Output, tag: bytes) -> bytes:
    """Decrypt an uploaded output; its cmac must be the one in the task's result."""
    plain = output.path.with_name(output.path.name + ".plain")
    decrypt_file(as_file_crypto(output.crypto), output.path, plain, cmac=tag)
    return plain.read_bytes()


def fixture_text(relative: str) -> str:
    return (FIXTURES / relative).read_text()


def serve_fixtures(tmp_path: Path) -> Iterator[Files]:
    """The body of a ``files`` fixture: a copy of the fixtures under ``tmp_path``, served."""
    root = tmp_path / "files"
    shutil.copytree(FIXTURES, root)
    with FileServer(root) as server:
        yield Files(server)


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Files]:
    yield from serve_fixtures(tmp_path)


async def run_alone(
    wire: Wire,
    user: Metadata,
    name: str,
    arguments: Mapping[str, object],
    *,
    inputs: Mapping[str, Input] | None = None,
    outputs: Mapping[str, Output] | None = None,
) -> fe.GetTaskResponse:
    """One user registers builtin ``name``, owns every file, and runs one task to its end."""
    inputs, outputs = inputs or {}, outputs or {}
    function_id = await register_function(
        wire, user, name, arguments=list(arguments), inputs=list(inputs), outputs=list(outputs)
    )
    me = [user["id"]]
    task_id = await create_task(
        wire,
        user,
        function_id,
        dict(arguments),
        inputs={n: me for n in inputs},
        outputs={n: me for n in outputs},
    )
    await assign(
        wire,
        user,
        task_id,
        inputs=[(n, await register_input(wire, user, i.url, i.cmac, i.crypto)) for n, i in inputs.items()],
        outputs=[(n, await register_output(wire, user, o.url, o.crypto)) for n, o in outputs.items()],
    )
    await invoke(wire, user, task_id)
    return await wait_status(wire, user, task_id)


def ok(reply: fe.GetTaskResponse) -> common.TaskOutputs:
    """The outputs of a task that finished successfully (else fail with its reason)."""
    assert reply.status == common.Finished, common.TaskStatus.Name(reply.status)
    assert reply.result.WhichOneof("result") == "Ok", reply.result.Err.reason
    return reply.result.Ok


GBDT_ARGS = {
    "feature_size": 4,
    "max_depth": 4,
    "iterations": 100,
    "shrinkage": 0.1,
    "feature_sample_ratio": 1.0,
    "data_sample_ratio": 1.0,
    "min_leaf_size": 1,
    "loss": "LAD",
    "training_optimization_level": 2,
}
#: The output key of builtin_gbdt_train.py (behaviour §9 item 3).
GBDT_OUTPUT_KEY = bytes([63, 195, 250, 208, 252, 127, 203, 27, 247, 168, 71, 77, 27, 47, 254, 240])


async def test_gbdt_train_writes_teaclaves_model(wire: Wire, admin: Metadata, files: Files) -> None:
    user = await new_user(wire, admin, "gbdt")
    model = files.output(
        "e2e_output_model.enc", common.FileCryptoInfo(schema="teaclave-file-128", key=GBDT_OUTPUT_KEY)
    )
    reply = await run_alone(
        wire,
        user,
        "builtin-gbdt-train",
        GBDT_ARGS,
        inputs={"training_data": files.fixture("gbdt_training/train.enc")},
        outputs={"trained_model": model},
    )
    result = ok(reply)
    assert result.return_value == b"Trained 120 lines of data."
    written = read_output(model, result.tags_map["trained_model"])
    assert written == (FIXTURES / "gbdt_training/expected_model.txt").read_bytes()


async def test_gbdt_predict(wire: Wire, admin: Metadata, files: Files) -> None:
    user = await new_user(wire, admin, "gbdtp")
    result_file = files.output("gbdt_result.enc")
    reply = await run_alone(
        wire,
        user,
        "builtin-gbdt-predict",
        {},
        inputs={
            "model_file": files.encrypted("gbdt_training/expected_model.txt"),
            "data_file": files.encrypted("gbdt_prediction/test_data.txt", "aes-gcm-128"),
        },
        outputs={"result_file": result_file},
    )
    result = ok(reply)
    assert result.return_value == b"Predict result has 30 lines of data."
    expected = fixture_text("gbdt_prediction/expected_result.txt")
    assert read_output(result_file, result.tags_map["result_file"]).decode() == expected


async def test_logistic_regression_train(wire: Wire, admin: Metadata, files: Files) -> None:
    user = await new_user(wire, admin, "lrt")
    model = files.output("lr_model.enc", fresh("aes-gcm-256"))
    reply = await run_alone(
        wire,
        user,
        "builtin-logistic-regression-train",
        {"alg_alpha": 0.3, "alg_iters": 100, "feature_size": 30},
        # The plaintext of py_logistic_reg/train.enc is logistic_regression_training/train.txt.
        inputs={"training_data": files.fixture("py_logistic_reg/train.enc")},
        outputs={"model_file": model},
    )
    result = ok(reply)
    assert result.return_value == b"Trained 100 lines of data."
    text = read_output(model, result.tags_map["model_file"]).decode()
    assert text.startswith('{"alpha":0.3,"iters":100,"parameters":[') and " " not in text
    expected = json.loads(fixture_text("logistic_regression_training/expected_model.txt"))["parameters"]
    got = json.loads(text)["parameters"]
    assert len(got) == len(expected) == 31
    assert all(abs(a - b) <= 1e-12 * abs(b) for a, b in zip(got, expected, strict=True))


async def test_logistic_regression_predict(wire: Wire, admin: Metadata, files: Files) -> None:
    user = await new_user(wire, admin, "lrp")
    result_file = files.output("lr_result.enc")
    reply = await run_alone(
        wire,
        user,
        "builtin-logistic-regression-predict",
        {},
        inputs={
            "model_file": files.encrypted("logistic_regression_training/expected_model.txt", "aes-gcm-128"),
            "data_file": files.fixture("py_logistic_reg/predict.enc"),
        },
        outputs={"result_file": result_file},
    )
    result = ok(reply)
    assert result.return_value == b"Predicted 5 lines of data."
    text = read_output(result_file, result.tags_map["result_file"]).decode()
    assert text == "0.7530\n0.9163\n0.2041\n0.0094\n0.0426\n"


async def test_principal_components_analysis(wire: Wire, admin: Metadata, files: Files) -> None:
    user = await new_user(wire, admin, "pca")
    output = files.output("pca_result.enc")
    reply = await run_alone(
        wire,
        user,
        "builtin_principal_components_analysis",
        {"n": 2, "center": True, "feature_size": 4},
        inputs={"input_data": files.encrypted("princopal_components_analysis/input.txt", "aes-gcm-256")},
        outputs={"output_data": output},
    )
    result = ok(reply)
    assert result.return_value == b"transform 90 rows * 2 cols lines of data."
    got = read_output(output, result.tags_map["output_data"]).decode().splitlines()
    expected = fixture_text("princopal_components_analysis/expected_result.txt").splitlines()
    assert len(got) == len(expected) == 90
    for ours, theirs in zip(got, expected, strict=True):
        pairs = zip(ours.split(","), theirs.split(","), strict=True)
        assert all(abs(float(a) - float(b)) < 1e-12 for a, b in pairs), (ours, theirs)


@pytest.mark.parametrize(
    ("algorithm", "key"),
    [
        ("aes256gcm", "aqUdgZ0lJnuz9yiPkoDxM6ZcTcVVpd4KKLqzbHD88Lg="),
        ("aes128gcm", "aqUdgZ0lJnuz9yiPkoDxMw=="),
    ],
)
async def test_online_decrypt(wire: Wire, admin: Metadata, algorithm: str, key: str) -> None:
    """builtin_online_decrypt.py and its aes128gcm twin (behaviour §5.3 item 6)."""
    data = {
        "aes256gcm": "CaZd8qSMMlBp8SjSXj2I4dQIuC9KkZ5DI/ATo1sWJw==",
        "aes128gcm": "OqMscYqxk1CshHQZulTrrDlJjS/v6BE/clWJyTerUw==",
    }[algorithm]
    user = await new_user(wire, admin, "decrypt")
    arguments = {"key": key, "nonce": "AAECAwQFBgcICQoL", "encrypted_data": data, "algorithm": algorithm}
    reply = await run_alone(wire, user, "builtin_online_decrypt", arguments)
    assert ok(reply).return_value == b"Hello Teaclave!"


async def test_online_decrypt_with_the_wrong_key_is_a_decryption_error(wire: Wire, admin: Metadata) -> None:
    user = await new_user(wire, admin, "decrypt")
    arguments = {
        "key": base64.b64encode(bytes(16)).decode(),
        "nonce": "AAECAwQFBgcICQoL",
        "encrypted_data": "OqMscYqxk1CshHQZulTrrDlJjS/v6BE/clWJyTerUw==",
        "algorithm": "aes128gcm",
    }
    reply = await run_alone(wire, user, "builtin_online_decrypt", arguments)
    assert reply.status == common.Finished
    assert reply.result.Err.reason.startswith("decryption error")


async def test_ordered_set_join_rebuilds_the_gbdt_training_set(
    wire: Wire, admin: Metadata, files: Files
) -> None:
    user = await new_user(wire, admin, "join")
    output = files.output("join_result.enc")
    reply = await run_alone(
        wire,
        user,
        "builtin-ordered-set-join",
        {"left_column": 0, "right_column": 0, "ascending": True, "drop": True},
        inputs={
            "input_data1": files.fixture("ordered_set_join/join0.csv.enc"),
            "input_data2": files.fixture("ordered_set_join/join1.csv.enc"),
        },
        outputs={"output_result": output},
    )
    result = ok(reply)
    assert result.return_value == b"120 records"
    joined = read_output(output, result.tags_map["output_result"]).decode()
    assert joined == fixture_text("gbdt_training/train.txt").strip() + "\n"


async def test_rsa_sign_two_parties_byte_exact(wire: Wire, admin: Metadata, files: Files) -> None:
    """builtin_rsa_sign.py: user1 owns the key, user2 owns the function and the task."""
    user1, user2 = await new_user(wire, admin, "rsa1"), await new_user(wire, admin, "rsa2")
    key = files.fixture("rsa_sign/rsakey.enc")
    key_id = await register_input(wire, user1, key.url, key.cmac, key.crypto)
    function_id = await register_function(
        wire, user2, "builtin-rsa-sign", arguments=["data"], inputs=["rsa_key"]
    )
    task_id = await create_task(
        wire, user2, function_id, {"data": "test data"}, inputs={"rsa_key": [user1["id"]]}
    )
    await assign(wire, user1, task_id, inputs=[("rsa_key", key_id)])
    for user in (user1, user2):
        await approve(wire, user, task_id)
    await invoke(wire, user2, task_id)
    expected = fixture_text("rsa_sign/expected_rsasign.txt").replace("\n", "")
    for user in (user1, user2):
        assert ok(await wait_status(wire, user, task_id)).return_value.decode() == expected


async def test_face_detection_finds_29_faces(wire: Wire, admin: Metadata) -> None:
    """builtin_face_detection.py: the image travels as a JSON array of its bytes."""
    user = await new_user(wire, admin, "faces")
    arguments = {
        "image": list((FIXTURES / "face_detection/input.jpg").read_bytes()),
        "min_face_size": 20,
        "score_thresh": 2.0,
        "pyramid_scale_factor": 0.8,
        "slide_window_step_x": 4,
        "slide_window_step_y": 4,
    }
    reply = await run_alone(wire, user, "builtin-face-detection", arguments)
    faces = json.loads(ok(reply).return_value)
    assert len(faces) == 29
    for face in faces:
        assert set(face) == {"bbox", "roll", "pitch", "yaw", "score"}
        assert set(face["bbox"]) == {"x", "y", "width", "height"}
        assert face["score"] >= 2.0 and face["bbox"]["width"] >= 20
