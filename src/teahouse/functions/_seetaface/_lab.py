"""The first funnel stage: LAB boosted classifiers slid over every pyramid level.

A LAB feature at (r, c) compares the 3x3-pixel block at (r + 3, c + 3) with its eight
neighbouring 3x3 blocks, one bit each (set when the centre sum is >= the neighbour's). The
feature map lives in one buffer reused from level to level, as in rustface: the last three
rows and columns of a level are never written there, and a window touching them reads whatever
an earlier (larger) level left at that offset. Keeping the buffer reproduces those reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from teahouse.functions._seetaface._model import LabStage
from teahouse.functions._seetaface._resize import WINDOW

_BLOCK = 3
_STD_DEV_MIN = 10.0
_GROUP = 10

# (row, column) of each neighbour block, in blocks from the feature's corner, and its bit.
_NEIGHBOURS = (
    (0, 0, 0x80),
    (0, 1, 0x40),
    (0, 2, 0x20),
    (1, 2, 0x08),
    (2, 2, 0x01),
    (2, 1, 0x02),
    (2, 0, 0x04),
    (1, 0, 0x10),
)


def _integral(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Inclusive 2-D prefix sums with a zero row and column in front."""
    out = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=np.int64)
    out[1:, 1:] = values.cumsum(0).cumsum(1)
    return out


@dataclass
class Windows:
    """Window corners (in the scaled image) that one classifier accepted, with their scores."""

    xs: NDArray[np.int64]
    ys: NDArray[np.int64]
    scores: NDArray[np.float32]


class LabFeatureMap:
    """The shared LAB feature buffer and the integral images of the current pyramid level."""

    def __init__(self, capacity: int) -> None:
        self._buffer = np.zeros(capacity, dtype=np.uint8)
        self._width = 0
        self._height = 0
        self._sums = np.zeros((1, 1), dtype=np.int64)
        self._squares = np.zeros((1, 1), dtype=np.int64)

    def compute(self, image: NDArray[np.uint8]) -> None:
        height, width = image.shape
        self._height, self._width = height, width
        pixels = image.astype(np.int64)
        self._sums = _integral(pixels)
        self._squares = _integral(pixels * pixels)
        if height <= 3 * _BLOCK or width <= 3 * _BLOCK:
            return
        s = self._sums
        # block[r, c] = sum of the 3x3 block whose top-left pixel is (r, c)
        block = s[3:, 3:] - s[:-3, 3:] - s[3:, :-3] + s[:-3, :-3]
        rows, cols = height - 3 * _BLOCK, width - 3 * _BLOCK
        centre = block[_BLOCK : _BLOCK + rows, _BLOCK : _BLOCK + cols]
        feature = np.zeros((rows, cols), dtype=np.uint8)
        for block_row, block_col, bit in _NEIGHBOURS:
            r0, c0 = block_row * _BLOCK, block_col * _BLOCK
            feature |= np.where(centre >= block[r0 : r0 + rows, c0 : c0 + cols], bit, 0).astype(np.uint8)
        view = self._buffer[: width * height].reshape(height, width)
        view[:rows, :cols] = feature

    def std_devs(self, xs: NDArray[np.int64], ys: NDArray[np.int64]) -> NDArray[np.float64]:
        """Standard deviation of the pixels of each 40x40 window (population, double precision)."""
        area = float(WINDOW * WINDOW)
        x1, y1 = xs + WINDOW, ys + WINDOW
        s, q = self._sums, self._squares
        total = s[y1, x1] - s[ys, x1] - s[y1, xs] + s[ys, xs]
        squares = q[y1, x1] - q[ys, x1] - q[y1, xs] + q[ys, xs]
        mean = total.astype(np.float64) / area
        second = squares.astype(np.float64) / area
        with np.errstate(invalid="ignore"):
            return np.sqrt(second - mean * mean)

    def classify(self, stage: LabStage, xs: NDArray[np.int64], ys: NDArray[np.int64]) -> Windows:
        """Score every window, dropping one as soon as a group's running score falls short."""
        flat = self._buffer[: self._width * self._height]
        base = ys * self._width + xs
        keep = np.arange(base.size)
        score = np.zeros(base.size, dtype=np.float32)
        offsets = stage.offsets[:, 1] * self._width + stage.offsets[:, 0]
        for i in range(len(offsets)):
            score += stage.weights[i][flat[base + offsets[i]]]
            if i % _GROUP == _GROUP - 1:
                alive = score >= stage.thresholds[i]
                if not alive.all():
                    keep, base, score = keep[alive], base[alive], score[alive]
                if not keep.size:
                    break
        passed = self.std_devs(xs[keep], ys[keep]) > _STD_DEV_MIN
        keep = keep[passed]
        return Windows(xs[keep], ys[keep], score[passed])


def window_grid(
    width: int, height: int, step_x: int, step_y: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Top-left corners of the sliding windows, row by row (y outer, x inner)."""
    if width < WINDOW or height < WINDOW:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    xs = np.arange(0, width - WINDOW + 1, step_x, dtype=np.int64)
    ys = np.arange(0, height - WINDOW + 1, step_y, dtype=np.int64)
    grid_y, grid_x = np.meshgrid(ys, xs, indexing="ij")
    return grid_x.ravel(), grid_y.ravel()
