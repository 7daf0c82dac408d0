"""builtin-face-detection: Teaclave's 29 faces on its fixture, rustface's arguments and checks."""

from __future__ import annotations

import json
from typing import Any

import cv2
import numpy as np
import pytest

from teahouse.functions import FunctionError, MissingExtra
from teahouse.functions import _seetaface as seetaface
from teahouse.functions._face_jpeg import decode_grey, luma
from tests.functions.conftest import FIXTURES, call, failure

NAME = "builtin-face-detection"
TEACLAVE_ARGS = {
    "min_face_size": 20,
    "score_thresh": 2.0,
    "pyramid_scale_factor": 0.8,
    "slide_window_step_x": 4,
    "slide_window_step_y": 4,
}

# (x, y, size) of the faces rustface 0.1.0 (the PyPI wheel's own binding) reports for the grey
# image of faces.jpg with Teaclave's arguments, in its order; test_face_detection_seetaface.py
# checks the binding still says so.
RUSTFACE_FACES = [
    (1135, 95, 53),
    (613, 97, 52),
    (1373, 41, 49),
    (1258, 207, 62),
    (865, 250, 62),
    (566, 198, 58),
    (1359, 260, 53),
    (766, 190, 57),
    (283, 258, 62),
    (379, 194, 59),
    (107, 253, 55),
    (1489, 280, 53),
    (210, 210, 55),
    (1283, 98, 44),
    (1418, 209, 59),
    (902, 96, 45),
    (1082, 200, 54),
    (376, 84, 47),
    (921, 189, 54),
    (46, 194, 58),
    (468, 128, 48),
    (1164, 252, 57),
    (662, 267, 55),
    (1042, 249, 63),
    (463, 259, 55),
    (1434, 92, 59),
    (238, 40, 56),
    (761, 120, 57),
    (1015, 107, 51),
]


def detect(image: bytes, **arguments: Any) -> list[dict[str, Any]]:
    outcome = call(NAME, {"image": list(image), **arguments})
    faces = json.loads(outcome.return_value)
    assert isinstance(faces, list)
    return faces


def boxes(faces: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    return [(f["bbox"]["x"], f["bbox"]["y"], f["bbox"]["width"]) for f in faces]


def jpeg(image: np.ndarray[Any, Any]) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    return bytes(encoded)


@pytest.fixture(scope="module")
def fixture_output() -> str:
    """The function's return value on faces.jpg with the arguments of Teaclave's test."""
    return call(NAME, {"image": list((FIXTURES / "faces.jpg").read_bytes()), **TEACLAVE_ARGS}).return_value


@pytest.fixture(scope="module")
def fixture_faces(fixture_output: str) -> list[dict[str, Any]]:
    faces = json.loads(fixture_output)
    assert isinstance(faces, list)
    return faces


@pytest.fixture(scope="module")
def group_photo() -> bytes:
    """A 500x360 piece of the fixture with eleven faces: quick to scan."""
    colour = cv2.imread(str(FIXTURES / "faces.jpg"), cv2.IMREAD_COLOR)
    return jpeg(colour[20:380, 1000:1500])


@pytest.fixture(scope="module")
def group_default(group_photo: bytes) -> list[dict[str, Any]]:
    return detect(group_photo)


def test_the_fixture_gives_teaclaves_29_faces_with_rustfaces_boxes(
    fixture_faces: list[dict[str, Any]],
) -> None:
    assert len(fixture_faces) == 29
    assert boxes(fixture_faces) == RUSTFACE_FACES


def test_each_face_has_teaclaves_json_shape(fixture_faces: list[dict[str, Any]]) -> None:
    for face in fixture_faces:
        assert list(face) == ["bbox", "roll", "pitch", "yaw", "score"]
        assert list(face["bbox"]) == ["x", "y", "width", "height"]
        assert face["bbox"]["width"] == face["bbox"]["height"]
        assert (face["roll"], face["pitch"], face["yaw"]) == (0.0, 0.0, 0.0)
        assert face["score"] >= 2.0


def test_faces_come_in_rustfaces_order_not_sorted_by_score(fixture_faces: list[dict[str, Any]]) -> None:
    # The last suppression takes boxes by their score before merging; merged scores then differ.
    scores = [face["score"] for face in fixture_faces]
    assert scores != sorted(scores, reverse=True)


def test_the_json_is_written_as_serde_writes_it(fixture_output: str) -> None:
    out = fixture_output
    assert out.startswith(
        '[{"bbox":{"x":1135,"y":95,"width":53,"height":53},"roll":0.0,"pitch":0.0,"yaw":0.0,'
    )
    assert '"score":' in out and " " not in out


def test_defaults_are_rustfaces(group_photo: bytes, group_default: list[dict[str, Any]]) -> None:
    explicit = detect(
        group_photo,
        score_thresh=3.85,
        pyramid_scale_factor=0.8,
        slide_window_step_x=4,
        slide_window_step_y=4,
        min_face_size=20,
    )
    assert group_default == explicit
    assert len(explicit) == 11


def test_window_size_and_min_face_size_are_only_checked(
    group_photo: bytes, group_default: list[dict[str, Any]]
) -> None:
    # rustface scans 40x40 windows from scale 1 whatever these say.
    assert detect(group_photo, window_size=80, min_face_size=100) == group_default


def test_a_single_slide_step_is_ignored(group_photo: bytes, group_default: list[dict[str, Any]]) -> None:
    assert detect(group_photo, slide_window_step_x=9) == group_default
    assert detect(group_photo, slide_window_step_x=9, slide_window_step_y=9) != group_default


def test_max_face_size_bounds_the_pyramid(group_photo: bytes, group_default: list[dict[str, Any]]) -> None:
    assert detect(group_photo, max_face_size=39) == []  # no pyramid level at all
    assert detect(group_photo, max_face_size=0) == group_default  # 0 means no bound
    assert detect(group_photo, max_face_size=2**31) == group_default  # negative as i32
    # Scale 1 only (40/40): the first stage sees 40-pixel windows alone, and the boxes change.
    assert detect(group_photo, max_face_size=40) != group_default


def test_the_threshold_filters_merged_scores(group_photo: bytes) -> None:
    every = detect(group_photo, score_thresh=1e-9)
    strict = detect(group_photo, score_thresh=15.0)
    assert 0 < len(strict) < len(every)
    assert strict == [face for face in every if face["score"] >= 15.0]


def test_an_image_without_faces_gives_an_empty_list() -> None:
    assert call(NAME, {"image": list(jpeg(np.full((120, 160), 128, np.uint8)))}).return_value == "[]"
    assert call(NAME, {"image": list(jpeg(np.full((30, 30), 128, np.uint8)))}).return_value == "[]"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"window_size": 19}, "argument `window_size` is 19, expected at least 20"),
        ({"min_face_size": 0}, "argument `min_face_size` is 0, expected at least 20"),
        ({"pyramid_scale_factor": 0.005}, "argument `pyramid_scale_factor` is 0.005"),
        ({"pyramid_scale_factor": 1.0}, "argument `pyramid_scale_factor` is 1.0"),
        ({"score_thresh": -1.0}, "argument `score_thresh` is -1.0, expected a positive number"),
        ({"slide_window_step_x": 4, "slide_window_step_y": 0}, "arguments `slide_window_step_x` and"),
    ],
)
def test_values_rustface_panics_on_are_refused(arguments: dict[str, Any], message: str) -> None:
    assert failure(NAME, {"image": list((FIXTURES / "faces.jpg").read_bytes()[:64]), **arguments}).startswith(
        message
    )


def test_boundary_values_are_accepted() -> None:
    blank = jpeg(np.full((60, 60), 200, np.uint8))
    assert detect(blank, window_size=20, min_face_size=20, pyramid_scale_factor=0.99, score_thresh=1e-9) == []
    assert detect(blank, pyramid_scale_factor=0.01) == []


def test_a_png_is_not_a_jpeg() -> None:
    ok, png = cv2.imencode(".png", np.zeros((50, 50), np.uint8))
    assert ok
    assert failure(NAME, {"image": list(bytes(png))}) == "argument `image` is not a JPEG image"
    assert failure(NAME, {"image": []}) == "argument `image` is not a JPEG image"


def test_a_broken_jpeg_is_refused(group_photo: bytes) -> None:
    reason = failure(NAME, {"image": list(group_photo[:200])})
    assert reason == "argument `image` could not be decoded as a JPEG image"


def test_a_missing_model_names_the_extra(monkeypatch: pytest.MonkeyPatch, group_photo: bytes) -> None:
    def missing() -> seetaface.Model:
        raise seetaface.ModelMissingError("no rustface")

    monkeypatch.setattr(seetaface, "load_model", missing)
    with pytest.raises(MissingExtra) as caught:
        call(NAME, {"image": list(group_photo)})
    assert "teahouse[face]" in caught.value.reason


def test_an_unreadable_model_fails_the_task(monkeypatch: pytest.MonkeyPatch, group_photo: bytes) -> None:
    def corrupt() -> seetaface.Model:
        raise seetaface.ModelFormatError("model file ends early (at byte 12)")

    monkeypatch.setattr(seetaface, "load_model", corrupt)
    with pytest.raises(FunctionError, match="face detection model is unreadable: model file ends early"):
        call(NAME, {"image": list(group_photo)})


def test_luma_uses_the_image_crates_single_precision_weights() -> None:
    pixels = np.array([[[255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255], [13, 13, 13]]], np.uint8)
    # 0.2126f*13 + 0.7152f*13 + 0.0722f*13 is just under 13 in single precision: truncated to 12.
    assert luma(pixels).tolist() == [[255, 54, 182, 18, 12]]


def test_a_grey_jpeg_is_used_as_decoded() -> None:
    grey = (np.arange(64 * 64) % 251).astype(np.uint8).reshape(64, 64)
    data = jpeg(grey)
    decoded = decode_grey(data)
    assert decoded is not None
    assert np.array_equal(decoded, cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))


def test_a_colour_jpeg_goes_through_luma(group_photo: bytes) -> None:
    decoded = decode_grey(group_photo)
    colour = cv2.imdecode(np.frombuffer(group_photo, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None and decoded.shape == (360, 500)
    assert np.array_equal(decoded, luma(colour[:, :, ::-1]))
