"""Every builtin on Teaclave's fixtures, through BuiltinExecutor.run, against Teaclave's results."""

from __future__ import annotations

import json

from teahouse.executors.builtin import BuiltinExecutor
from tests.functions.conftest import FIXTURES, Files, invoke

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


async def test_echo_returns_and_logs_the_message(executor: BuiltinExecutor) -> None:
    result = await invoke(
        executor, "builtin-echo", {"message": "Hello, Teaclave Tests!", "save_log": "true"}, save_log=True
    )
    assert result.return_value == b"Hello, Teaclave Tests!"
    assert result.log == ["[INFO teaclave_function::echo] Hello, Teaclave Tests!"]


async def test_echo_keeps_no_log_without_save_log(executor: BuiltinExecutor) -> None:
    result = await invoke(executor, "builtin-echo", {"message": "Hello, Teaclave!"})
    assert result.return_value == b"Hello, Teaclave!"
    assert result.log == []


async def test_gbdt_train_reproduces_teaclaves_model_byte_for_byte(
    executor: BuiltinExecutor, files: Files
) -> None:
    result = await invoke(
        executor,
        "builtin-gbdt-train",
        GBDT_ARGS,
        files.inputs({"training_data": "gbdt_train.txt"}),
        files.outputs("trained_model"),
    )
    assert result.return_value == b"Trained 120 lines of data."
    assert files.read("trained_model") == (FIXTURES / "gbdt_expected_model.txt").read_text()


async def test_gbdt_predict_matches_teaclave_exactly(executor: BuiltinExecutor, files: Files) -> None:
    inputs = files.inputs({"model_file": "gbdt_expected_model.txt", "data_file": "gbdt_test_data.txt"})
    result = await invoke(executor, "builtin-gbdt-predict", {}, inputs, files.outputs("result_file"))
    assert result.return_value == b"Predict result has 30 lines of data."
    assert files.read("result_file") == (FIXTURES / "gbdt_expected_result.txt").read_text()


async def test_logistic_regression_train_matches_teaclave(executor: BuiltinExecutor, files: Files) -> None:
    args = {"alg_alpha": 0.3, "alg_iters": 100, "feature_size": 30}
    result = await invoke(
        executor,
        "builtin-logistic-regression-train",
        args,
        files.inputs({"training_data": "lr_train.txt"}),
        files.outputs("model_file"),
    )
    assert result.return_value == b"Trained 100 lines of data."
    text = files.read("model_file")
    assert text.startswith('{"alpha":0.3,"iters":100,"parameters":[') and " " not in text
    got = json.loads(text)["parameters"]
    expected = json.loads((FIXTURES / "lr_expected_model.txt").read_text())["parameters"]
    assert len(got) == len(expected) == 31
    for ours, theirs in zip(got, expected, strict=True):
        assert abs(ours - theirs) <= 1e-12 * abs(theirs)


async def test_logistic_regression_predict_matches_teaclave(executor: BuiltinExecutor, files: Files) -> None:
    inputs = files.inputs({"model_file": "lr_model.txt", "data_file": "lr_predict_input.txt"})
    result = await invoke(
        executor, "builtin-logistic-regression-predict", {}, inputs, files.outputs("result_file")
    )
    assert result.return_value == b"Predicted 5 lines of data."
    assert files.read("result_file") == "0.7530\n0.9163\n0.2041\n0.0094\n0.0426\n"
    assert files.read("result_file") == (FIXTURES / "lr_expected_result.txt").read_text()


async def test_pca_matches_teaclave_numerically(executor: BuiltinExecutor, files: Files) -> None:
    args = {"n": 2, "center": True, "feature_size": 4}
    result = await invoke(
        executor,
        "builtin_principal_components_analysis",
        args,
        files.inputs({"input_data": "pca_input.txt"}),
        files.outputs("output_data"),
    )
    assert result.return_value == b"transform 90 rows * 2 cols lines of data."
    got = files.read("output_data").splitlines()
    expected = (FIXTURES / "pca_expected_result.txt").read_text().splitlines()
    assert len(got) == len(expected) == 90
    for ours, theirs in zip(got, expected, strict=True):
        for a, b in zip(ours.split(","), theirs.split(","), strict=True):
            assert abs(float(a) - float(b)) < 1e-12


async def test_ordered_set_intersect_marks_common_lines(executor: BuiltinExecutor, files: Files) -> None:
    inputs = files.inputs({"input_data1": "psi0.txt", "input_data2": "psi1.txt"})
    result = await invoke(
        executor,
        "builtin-ordered-set-intersect",
        {"order": "ascending"},
        inputs,
        files.outputs("output_result1", "output_result2"),
    )
    assert result.return_value == b"3 common items"
    assert files.read("output_result1") == "0101010"
    assert files.read("output_result2") == "01101"


async def test_ordered_set_join_rebuilds_the_gbdt_training_set(
    executor: BuiltinExecutor, files: Files
) -> None:
    args = {"left_column": 0, "right_column": 0, "ascending": True, "drop": True}
    inputs = files.inputs({"input_data1": "join0.csv", "input_data2": "join1.csv"})
    result = await invoke(executor, "builtin-ordered-set-join", args, inputs, files.outputs("output_result"))
    assert result.return_value == b"120 records"
    assert files.read("output_result") == (FIXTURES / "gbdt_train.txt").read_text().strip() + "\n"


async def test_private_join_and_compute_sums_shared_identities(
    executor: BuiltinExecutor, files: Files
) -> None:
    inputs = files.inputs({f"input_data{i}": f"bank_{bank}.txt" for i, bank in enumerate("abc")})
    outputs = files.outputs("output_data0", "output_data1", "output_data2")
    result = await invoke(executor, "builtin-private-join-and-compute", {"num_user": 3}, inputs, outputs)
    assert result.return_value == b"3 users join the task in total."
    for name in outputs:
        assert sorted(files.read(name).splitlines()) == ["c, 470000", "e, 5033000"]
        assert files.read(name).endswith("\n")


async def test_password_check_finds_the_exposed_password(executor: BuiltinExecutor, files: Files) -> None:
    inputs = files.inputs({"password": "password.txt", "exposed_passwords": "exposed_passwords.txt"})
    result = await invoke(executor, "builtin-password-check", {}, inputs)
    assert result.return_value == b"true"


async def test_rsa_sign_is_byte_identical(executor: BuiltinExecutor, files: Files) -> None:
    result = await invoke(
        executor, "builtin-rsa-sign", {"data": "test data"}, files.inputs({"rsa_key": "rsa_key.der"})
    )
    expected = (FIXTURES / "expected_rsasign.txt").read_text().replace("\n", "")
    assert result.return_value.decode() == expected
    assert expected.startswith("tmgoOYVBmGOQ") and expected.endswith("pmmHw==")


async def test_online_decrypt_aes256gcm_vector(executor: BuiltinExecutor) -> None:
    args = {
        "key": "aqUdgZ0lJnuz9yiPkoDxM6ZcTcVVpd4KKLqzbHD88Lg=",
        "nonce": "AAECAwQFBgcICQoL",
        "encrypted_data": "CaZd8qSMMlBp8SjSXj2I4dQIuC9KkZ5DI/ATo1sWJw==",
        "algorithm": "aes256gcm",
    }
    assert (await invoke(executor, "builtin_online_decrypt", args)).return_value == b"Hello Teaclave!"


async def test_online_decrypt_aes128gcm_vector(executor: BuiltinExecutor) -> None:
    args = {
        "key": "aqUdgZ0lJnuz9yiPkoDxMw==",
        "nonce": "AAECAwQFBgcICQoL",
        "encrypted_data": "OqMscYqxk1CshHQZulTrrDlJjS/v6BE/clWJyTerUw==",
        "algorithm": "aes128gcm",
    }
    assert (await invoke(executor, "builtin_online_decrypt", args)).return_value == b"Hello Teaclave!"


# Face centres in faces.jpg (the 1927 Solvay photograph: 29 people), established by inspecting the
# image; the detector finds all 29 (the last one is the turned head at the top right).
FACE_CENTRES = [
    (1397, 64),
    (269, 66),
    (398, 108),
    (947, 215),
    (78, 220),
    (792, 217),
    (1299, 120),
    (928, 118),
    (409, 226),
    (1467, 122),
    (595, 227),
    (641, 126),
    (1110, 230),
    (1039, 129),
    (1292, 238),
    (238, 241),
    (1448, 243),
    (792, 148),
    (490, 153),
    (136, 277),
    (896, 280),
    (1195, 277),
    (691, 291),
    (314, 289),
    (496, 282),
    (1383, 286),
    (1068, 279),
    (1512, 306),
    (1167, 117),
]


async def test_face_detection_finds_the_faces_of_the_fixture(executor: BuiltinExecutor) -> None:
    args = {
        "image": list((FIXTURES / "faces.jpg").read_bytes()),
        "min_face_size": 20,
        "score_thresh": 2.0,
        "pyramid_scale_factor": 0.8,
        "slide_window_step_x": 4,
        "slide_window_step_y": 4,
    }
    result = await invoke(executor, "builtin-face-detection", args)
    faces = json.loads(result.return_value)
    assert len(faces) == 29  # Teaclave's rustface: 29
    matched = set()
    for face in faces:
        assert set(face) == {"bbox", "roll", "pitch", "yaw", "score"}
        assert (face["roll"], face["pitch"], face["yaw"]) == (0.0, 0.0, 0.0)
        box = face["bbox"]
        assert 40 <= box["width"] <= 100 and box["width"] == box["height"]
        centre = (box["x"] + box["width"] // 2, box["y"] + box["height"] // 2)
        nearest = min(
            range(len(FACE_CENTRES)),
            key=lambda i: abs(FACE_CENTRES[i][0] - centre[0]) + abs(FACE_CENTRES[i][1] - centre[1]),
        )
        fx, fy = FACE_CENTRES[nearest]
        assert abs(fx - centre[0]) <= 25 and abs(fy - centre[1]) <= 25, f"no face near {centre}"
        matched.add(nearest)
    assert len(matched) == len(faces)  # no face is reported twice
    scores = [face["score"] for face in faces]
    assert min(scores) >= 2.0  # in rustface's order (that of its last suppression step), not by score
