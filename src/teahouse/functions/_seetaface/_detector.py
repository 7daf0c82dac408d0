"""SeetaFace's funnel-structured cascade (FuSt) over a grey image, following rustface.

1. Every pyramid level is scanned with 40x40 windows; each first-hierarchy LAB classifier
   keeps its own proposals, mapped back to the full image. Each list goes through NMS (0.8).
2. Each later hierarchy group gathers the lists of its window sources and runs its MLP stages
   on 40x40 crops of the full image (zero outside it): a window that passes gets the MLP's
   score and the box its regression outputs; NMS (0.8) follows every stage but the group's last,
   and NMS (0.3) follows the last stage of the last hierarchy.
3. The final list, in NMS order, is filtered by the score threshold.

Box arithmetic is single precision and truncation as in rustface, so boxes match its output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from teahouse.functions._seetaface import _surf
from teahouse.functions._seetaface._lab import LabFeatureMap, window_grid
from teahouse.functions._seetaface._mlp import forward
from teahouse.functions._seetaface._model import LabStage, MlpStage, Model
from teahouse.functions._seetaface._nms import Boxes, suppress
from teahouse.functions._seetaface._resize import WINDOW, pyramid

_F32 = np.float32
_HALF = _F32(0.5)
_BATCH = 512  # windows per MLP batch: bounds memory (about 60 MB of channel images)


@dataclass(frozen=True)
class Settings:
    """The detector's knobs, with rustface's defaults."""

    min_face_size: int = 20
    max_face_size: int = -1
    step_x: int = 4
    step_y: int = 4
    pyramid_scale_factor: float = 0.8
    score_thresh: float = 3.85


def _first_hierarchy(model: Model, image: NDArray[np.uint8], settings: Settings) -> list[Boxes]:
    height, width = image.shape
    min_size = min(width, height)
    if settings.max_face_size > 0:
        min_size = min(settings.max_face_size, min_size)
    stages = [group.stages[0] for group in model.hierarchies[0]]
    found: list[list[Boxes]] = [[] for _ in stages]
    features = LabFeatureMap(width * height)
    for scale, scaled in pyramid(image, _F32(settings.pyramid_scale_factor), _F32(WINDOW) / _F32(min_size)):
        features.compute(scaled)
        xs, ys = window_grid(scaled.shape[1], scaled.shape[0], settings.step_x, settings.step_y)
        size = int(_F32(WINDOW) / scale + _HALF)
        for stage, out in zip(stages, found, strict=True):
            assert isinstance(stage, LabStage)
            windows = features.classify(stage, xs, ys)
            sizes = np.full(windows.xs.size, size, dtype=np.int64)
            out.append(
                Boxes(
                    (windows.xs.astype(_F32) / scale + _HALF).astype(np.int64),
                    (windows.ys.astype(_F32) / scale + _HALF).astype(np.int64),
                    sizes,
                    sizes.copy(),
                    windows.scores.astype(np.float64),
                )
            )
    return [suppress(Boxes.concat(parts), 0.8) for parts in found]


def _axis_taps(
    start: NDArray[np.int64], size: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Offset of the left tap and the right tap's weight for 40 samples across each crop."""
    scale = size.astype(np.float64) / float(WINDOW)
    position = scale[:, np.newaxis] * np.arange(WINDOW, dtype=np.float64)
    left = np.minimum(position.astype(np.int64), (size - 2)[:, np.newaxis])
    return start[:, np.newaxis] + left, position - left


class _Padded:
    """The full image inside a zero border wider than any box, flattened for gathering."""

    def __init__(self, image: NDArray[np.uint8], boxes: Boxes) -> None:
        height, width = image.shape
        self.height, self.width = height, width
        self.border = int(max(boxes.width.max(), boxes.height.max())) + 2
        self.stride = width + 2 * self.border
        padded = np.zeros((height + 2 * self.border, self.stride), dtype=np.uint8)
        padded[self.border : self.border + height, self.border : self.border + width] = image
        self.flat = padded.ravel()

    def crop(self, boxes: Boxes) -> NDArray[np.uint8]:
        """(n, 40, 40): each box cut out (zero outside the image) and resized SeetaFace's way."""
        # A box that starts past the far edge samples only zeros; moving it to the edge keeps
        # every sample inside the border.
        x = np.minimum(boxes.x, self.width) + self.border
        y = np.minimum(boxes.y, self.height) + self.border
        cols, wx = _axis_taps(x, boxes.width)
        rows, wy = _axis_taps(y, boxes.height)
        index = rows[:, :, np.newaxis] * self.stride + cols[:, np.newaxis, :]
        d1, d2 = self._gather(index), self._gather(index + 1)
        d3, d4 = self._gather(index + self.stride), self._gather(index + self.stride + 1)
        wx3 = wx[:, np.newaxis, :]
        wy3 = wy[:, :, np.newaxis]
        upper = (1.0 - wx3) * d1 + wx3 * d2
        lower = (1.0 - wx3) * d3 + wx3 * d4
        return ((1.0 - wy3) * upper + wy3 * lower).astype(np.uint8)

    def _gather(self, index: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.take(self.flat, index).astype(np.float64)


def _run_mlp(image: NDArray[np.uint8], stage: MlpStage, boxes: Boxes) -> Boxes:
    """The windows the stage accepts, moved and resized by its regression, with its score."""
    # Boxes entirely above or left of the image are dropped without a look. (Boxes under two
    # pixels wide, which rustface would read out of bounds for, are dropped too.)
    visible = (boxes.x + boxes.width > 0) & (boxes.y + boxes.height > 0)
    boxes = boxes.take(visible & (boxes.width >= 2) & (boxes.height >= 2))
    if not len(boxes):
        return Boxes.empty()
    padded = _Padded(image, boxes)
    outputs = []
    for start in range(0, len(boxes), _BATCH):
        part = boxes.take(np.arange(start, min(start + _BATCH, len(boxes))))
        features = _surf.feature_vectors(padded.crop(part), stage.feature_ids)
        outputs.append(forward(features, stage.layers))
    predicts = np.concatenate(outputs)
    # rustface moves a window's negative corner to 0 while cutting it out (the crop itself is
    # padded from the original corner), and the regression then starts from the moved corner.
    boxes.x = np.maximum(boxes.x, 0)
    boxes.y = np.maximum(boxes.y, 0)
    return _regress(boxes, predicts, stage.threshold)


def _regress(boxes: Boxes, predicts: NDArray[np.float32], threshold: np.float32) -> Boxes:
    passed = predicts[:, 0] > threshold
    boxes, predicts = boxes.take(passed), predicts[passed]
    x, y = boxes.x.astype(_F32), boxes.y.astype(_F32)
    w, h = boxes.width.astype(_F32), boxes.height.astype(_F32)
    two, one = _F32(2.0), _F32(1.0)
    size = np.floor((predicts[:, 3] * two - one) * w + w + _HALF)
    new_x = np.floor((predicts[:, 1] * two - one) * w + x + (w - size) * _HALF + _HALF)
    new_y = np.floor((predicts[:, 2] * two - one) * h + y + (h - size) * _HALF + _HALF)
    sizes = np.maximum(size, 0).astype(np.int64)
    return Boxes(
        new_x.astype(np.int64), new_y.astype(np.int64), sizes, sizes.copy(), predicts[:, 0].astype(np.float64)
    )


def detect(model: Model, image: NDArray[np.uint8], settings: Settings) -> Boxes:
    """Faces in a grey image (height x width, uint8), in rustface's order, scores >= threshold."""
    nms = _first_hierarchy(model, image, settings)
    hierarchies = model.hierarchies
    for level in range(1, len(hierarchies)):
        groups = hierarchies[level]
        # A group works in the slot of its first window source, as rustface's buffers do.
        slots: dict[int, Boxes] = {}
        for group in groups:
            boxes = Boxes.concat([nms[source] for source in group.window_sources])
            for k, stage in enumerate(group.stages):
                assert isinstance(stage, MlpStage)
                boxes = _run_mlp(image, stage, boxes)
                if k < len(group.stages) - 1:
                    boxes = suppress(boxes, 0.8)
                elif level == len(hierarchies) - 1:
                    boxes = suppress(boxes, 0.3)
            slots[group.window_sources[0]] = boxes
        for j, group in enumerate(groups):
            nms[j] = slots[group.window_sources[0]]
    final = nms[0]
    return final.take(final.score >= settings.score_thresh)


@dataclass(frozen=True)
class Face:
    x: int
    y: int
    width: int
    height: int
    score: float


def detect_faces(model: Model, image: NDArray[np.uint8], settings: Settings) -> list[Face]:
    """:func:`detect` as a list of faces."""
    found = detect(model, image, settings)
    return [
        Face(int(x), int(y), int(w), int(h), float(s))
        for x, y, w, h, s in zip(found.x, found.y, found.width, found.height, found.score, strict=True)
    ]
