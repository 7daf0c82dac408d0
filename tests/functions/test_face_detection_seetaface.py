"""The SeetaFace port piece by piece, and against rustface itself (the rustface wheel's binding)."""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import pytest

from teahouse.functions import _seetaface as seetaface
from teahouse.functions._face_jpeg import decode_grey
from teahouse.functions._seetaface._mlp import forward
from teahouse.functions._seetaface._model import LabStage, Layer, MlpStage, ModelFormatError, parse_model
from teahouse.functions._seetaface._nms import Boxes, suppress
from teahouse.functions._seetaface._resize import resize
from teahouse.functions._seetaface._surf import feature_pool, feature_vectors
from tests.functions.conftest import FIXTURES
from tests.functions.test_face_detection import RUSTFACE_FACES


@pytest.fixture(scope="module")
def model() -> seetaface.Model:
    if seetaface.find_model_file() is None:
        pytest.skip("the rustface wheel (teahouse[face]) is not installed")
    return seetaface.load_model()


@pytest.fixture(scope="module")
def grey() -> np.ndarray[Any, Any]:
    image = decode_grey((FIXTURES / "faces.jpg").read_bytes())
    assert image is not None
    return image


def test_the_model_is_the_frontal_funnel(model: seetaface.Model) -> None:
    first, second, third = model.hierarchies
    assert len(first) == 3  # three LAB classifiers, one per view
    for group in first:
        (stage,) = group.stages
        assert isinstance(stage, LabStage)
        assert stage.weights.shape == (150, 256) and stage.offsets.max() <= 31
    assert [g.window_sources for g in second] == [(0, 1, 2)]
    assert [g.window_sources for g in third] == [(0,)]
    sizes = []
    for stage in (*second[0].stages, *third[0].stages):
        assert isinstance(stage, MlpStage)
        sizes.append([stage.layers[0].weights.shape[1], *(layer.weights.shape[0] for layer in stage.layers)])
    assert sizes == [[128, 20, 4], [256, 40, 4], [512, 256, 128, 64, 4]]


def test_the_model_file_is_found_without_importing_the_binding() -> None:
    path = seetaface.find_model_file()
    if path is None:
        pytest.skip("the rustface wheel (teahouse[face]) is not installed")
    assert path.name == "seeta_fd_frontal_v1.0.py" and path.stat().st_size == 1209904


def _tiny_model(*, kind: int = 0, tail: bytes = b"") -> bytes:
    ints = struct.pack("<4i", 1, 1, 1, kind)  # one hierarchy, one group, one stage
    lab = struct.pack("<2i", 10, 255) + struct.pack("<20i", *([1] * 20))
    lab += struct.pack("<10f", *([0.0] * 10)) + struct.pack("<2560f", *([0.5] * 2560))
    return ints + lab + struct.pack("<i", -1) + tail


def test_a_minimal_model_parses() -> None:
    parsed = parse_model(_tiny_model(), pool_size=len(feature_pool()))
    (groups,) = parsed.hierarchies
    assert groups[0].window_sources == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_tiny_model()[:-9], "ends early"),
        (_tiny_model(tail=b"\0\0\0\0"), "data after its last hierarchy"),
        (_tiny_model(kind=7), "unknown classifier kind 7"),
        (struct.pack("<i", -3), "-3 as its hierarchy count"),
        (b"", "ends early"),
    ],
)
def test_a_damaged_model_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ModelFormatError, match=message):
        parse_model(data, pool_size=len(feature_pool()))


def test_the_feature_pool_has_seetafaces_56_patches() -> None:
    pool = feature_pool()
    assert len(pool) == 56
    assert (pool[0].x, pool[0].y, pool[0].width, pool[0].height) == (0, 0, 16, 16)
    assert all(p.x + p.width <= 40 and p.y + p.height <= 40 for p in pool)


def test_resize_samples_from_the_corner_not_pixel_centres() -> None:
    image = np.arange(16, dtype=np.uint8).reshape(4, 4) * 10
    assert resize(image, 2, 2).tolist() == [[0, 20], [80, 100]]
    assert np.array_equal(resize(image, 4, 4), image)
    # From 2 to 3 columns the taps sit at 0, 2/3 and 4/3 of the pair (0, 10): the last one
    # extrapolates, and the blend is truncated.
    assert resize(image[:2, :2], 3, 2)[0].tolist() == [0, 6, 13]


def test_nms_merges_scores_into_the_best_box_and_keeps_taking_order() -> None:
    boxes = Boxes(
        np.array([0, 1, 100, 102, 0]),
        np.array([0, 0, 100, 100, 60]),
        np.array([40, 40, 40, 40, 40]),
        np.array([40, 40, 40, 40, 40]),
        np.array([1.0, 2.0, 0.5, 0.5, 3.0]),
    )
    kept = suppress(boxes, 0.8)
    assert kept.x.tolist() == [0, 1, 100]  # by score, ties in input order
    assert kept.y.tolist() == [60, 0, 100]
    assert kept.score.tolist() == [3.0, 3.0, 1.0]


def test_nms_threshold_is_strict() -> None:
    # Same size, shifted by 4 of 40: IoU = 36*40 / (2*1600 - 36*40) = 0.8181...
    boxes = Boxes(
        np.array([0, 4]), np.array([0, 0]), np.array([40, 40]), np.array([40, 40]), np.array([1.0, 1.0])
    )
    assert len(suppress(boxes, 0.8)) == 1
    assert len(suppress(boxes, 0.82)) == 2


def test_mlp_sums_one_term_at_a_time_in_single_precision() -> None:
    # 1e8 + 1 is 1e8 in float32, so the sum is 0 and the sigmoid 0.5 (exact arithmetic: 0.73).
    layer = Layer(np.ones((1, 3), np.float32), np.zeros(1, np.float32))
    inputs = np.array([[1e8, 1.0, -1e8]], np.float32)
    assert forward(inputs, (layer,)).tolist() == [[0.5]]


def test_surf_vectors_of_a_ramp_and_a_flat_window() -> None:
    ramp = np.tile(np.arange(40, dtype=np.uint8) * 3, (40, 1))[np.newaxis]
    flat = np.full((1, 40, 40), 77, np.uint8)
    vectors = feature_vectors(np.concatenate([ramp, flat]), (1,))
    # The ramp: dx = 6 everywhere, dy = 0 (not negative): channels 0 and 1 of each of 4 cells.
    expected = np.tile(np.array([1, 1, 0, 0, 0, 0, 0, 0], np.float32), 4) / np.float32(np.sqrt(8))
    assert np.allclose(vectors[0], expected, rtol=0, atol=1e-7)
    assert not vectors[1].any()


rustface = pytest.importorskip("rustface", reason="the rustface wheel's binding does not load here")


def _rustface(image: np.ndarray[Any, Any], settings: seetaface.Settings) -> list[tuple[int, int, int, int]]:
    detector = rustface.Detector()  # a new one each time: the detector keeps buffers between calls
    detector.set_min_face_size(settings.min_face_size)
    detector.set_score_thresh(settings.score_thresh)
    detector.set_pyramid_scale_factor(settings.pyramid_scale_factor)
    detector.set_slide_window_step(settings.step_x, settings.step_y)
    height, width = image.shape
    data = rustface.ImageData(np.ascontiguousarray(image).tobytes(), width, height)
    return [(f.x, f.y, f.width, f.height) for f in detector.detect(data)]


def _ours(model: seetaface.Model, image: np.ndarray[Any, Any], settings: seetaface.Settings) -> list[Any]:
    return [(f.x, f.y, f.width, f.height) for f in seetaface.detect_faces(model, image, settings)]


def test_rustface_gives_the_boxes_recorded_for_the_fixture(grey: np.ndarray[Any, Any]) -> None:
    found = _rustface(grey, seetaface.Settings(score_thresh=2.0))
    assert [(x, y, w) for x, y, w, _ in found] == RUSTFACE_FACES


S = seetaface.Settings


@pytest.mark.parametrize(
    ("rows", "cols", "scale", "settings"),
    [
        (slice(None), slice(None), 0.5, S(score_thresh=1.0)),
        (
            slice(100, 500),
            slice(200, 900),
            1.0,
            S(score_thresh=0.5, step_x=3, step_y=5, pyramid_scale_factor=0.7),
        ),
        (slice(70, 200), slice(1110, 1180), 1.0, S(score_thresh=0.01)),  # faces cut by the border
        (slice(180, 320), slice(0, 150), 1.0, S(score_thresh=0.01, step_x=1, step_y=1)),
        (slice(150, 390), slice(500, 940), 1.0, S(score_thresh=0.01)),  # windows touch the last columns
        (slice(50, 450), slice(1000, 1666), 1.0, S(score_thresh=0.01, pyramid_scale_factor=0.5)),
    ],
)
def test_boxes_and_order_match_rustface(
    model: seetaface.Model,
    grey: np.ndarray[Any, Any],
    rows: slice,
    cols: slice,
    scale: float,
    settings: seetaface.Settings,
) -> None:
    image = np.ascontiguousarray(grey[rows, cols])
    if scale != 1.0:
        image = resize(image, int(image.shape[1] * scale), int(image.shape[0] * scale))
    ours = _ours(model, image, settings)
    assert ours  # each case has faces
    assert ours == _rustface(image, settings)


def test_an_inverted_image_matches_rustface(model: seetaface.Model, grey: np.ndarray[Any, Any]) -> None:
    image = np.ascontiguousarray(255 - grey[200:700, 0:800])
    settings = S(score_thresh=0.5)
    assert _ours(model, image, settings) == _rustface(image, settings)
