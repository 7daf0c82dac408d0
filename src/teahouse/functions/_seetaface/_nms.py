"""Greedy non-maximum suppression that merges scores, as SeetaFace does.

Boxes are taken best score first (ties keep their order); each one swallows every later
unswallowed box whose intersection over union exceeds the threshold, adding their scores to
its own. Overlap is computed in single precision on inclusive pixel corners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class Boxes:
    """Candidate faces: integer corners and sizes (x, y may be negative) and double scores."""

    x: NDArray[np.int64]
    y: NDArray[np.int64]
    width: NDArray[np.int64]
    height: NDArray[np.int64]
    score: NDArray[np.float64]

    @staticmethod
    def empty() -> Boxes:
        zeros = np.zeros(0, dtype=np.int64)
        return Boxes(zeros, zeros, zeros, zeros, np.zeros(0, dtype=np.float64))

    def __len__(self) -> int:
        return int(self.x.size)

    def take(self, index: NDArray[np.int64] | NDArray[np.bool_]) -> Boxes:
        return Boxes(self.x[index], self.y[index], self.width[index], self.height[index], self.score[index])

    @staticmethod
    def concat(parts: list[Boxes]) -> Boxes:
        if not parts:
            return Boxes.empty()
        return Boxes(
            np.concatenate([p.x for p in parts]),
            np.concatenate([p.y for p in parts]),
            np.concatenate([p.width for p in parts]),
            np.concatenate([p.height for p in parts]),
            np.concatenate([p.score for p in parts]),
        )


class _Neighbours:
    """Boxes that may overlap a given one in x: per width class, a slice of boxes sorted by x.

    Classes (powers of two of the width) keep the slices short when a few boxes are very wide.
    """

    def __init__(self, x1: NDArray[np.int64], x2: NDArray[np.int64]) -> None:
        width = x2 - x1 + 1
        size_class = np.floor(np.log2(np.maximum(width, 1))).astype(np.int64)
        self._members: list[NDArray[np.int64]] = []
        self._low: list[NDArray[np.intp]] = []
        self._high: list[NDArray[np.intp]] = []
        for value in np.unique(size_class):
            members = np.flatnonzero(size_class == value)
            members = members[np.argsort(x1[members], kind="stable")]
            starts = x1[members]
            widest = int(width[members].max())
            self._members.append(members)
            # j can overlap i only if x1[i] - widest < x1[j] <= x2[i]
            self._low.append(np.searchsorted(starts, x1 - widest + 1, side="left"))
            self._high.append(np.searchsorted(starts, x2, side="right"))

    def of(self, i: int) -> NDArray[np.int64]:
        parts = [m[lo[i] : hi[i]] for m, lo, hi in zip(self._members, self._low, self._high, strict=True)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def suppress(boxes: Boxes, iou_threshold: float) -> Boxes:
    """The kept boxes in the order they were taken, each with its merged score."""
    order = np.argsort(-boxes.score, kind="stable")
    sorted_boxes = boxes.take(order)
    x1, y1 = sorted_boxes.x, sorted_boxes.y
    x2 = x1 + sorted_boxes.width - 1
    y2 = y1 + sorted_boxes.height - 1
    area = (sorted_boxes.width * sorted_boxes.height).astype(np.float32)
    scores = sorted_boxes.score
    threshold = np.float32(iou_threshold)
    neighbours = _Neighbours(x1, x2)
    merged = np.zeros(len(sorted_boxes), dtype=bool)
    kept: list[int] = []
    kept_scores: list[float] = []
    for i in range(len(sorted_boxes)):
        if merged[i]:
            continue
        merged[i] = True
        kept.append(i)
        rest = neighbours.of(i)
        rest = np.sort(rest[(rest > i) & ~merged[rest]])
        width = np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1
        height = np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1
        overlapping = (width > 0) & (height > 0)
        rest, width, height = rest[overlapping], width[overlapping], height[overlapping]
        intersection = (width * height).astype(np.float32)
        union = (area[i] + area[rest]) - intersection
        swallowed = rest[intersection / union > threshold]
        merged[swallowed] = True
        total = float(scores[i])
        for extra in scores[swallowed].tolist():
            total += extra
        kept_scores.append(total)
    result = sorted_boxes.take(np.asarray(kept, dtype=np.int64))
    result.score = np.asarray(kept_scores, dtype=np.float64)
    return result
