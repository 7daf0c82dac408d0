"""SURF-like feature vectors of 40x40 windows, the input of the MLP stages.

Per pixel: the horizontal and vertical gradients (central differences, doubled one-sided
differences at the borders) split into eight channels: dx and |dx| kept where dy >= 0 (0, 1)
or where dy < 0 (2, 3); dy and |dy| kept where dx >= 0 (4, 5) or where dx < 0 (6, 7). A
feature is a patch of the window cut into 2x2 cells; its vector is the eight channel sums of
each cell (row by row), 32 values, divided by their L2 norm in single precision.

rustface sums cells from integral images; here every cell sum of a stage comes out of two
matrix products (row ranges x channel image x column ranges). The sums are integers below
2**24, so float32 products are exact whatever order the BLAS adds in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from teahouse.functions._seetaface._resize import WINDOW

_CHANNELS = 8
_CELLS = 2  # cells per row and per column, for every patch format
# (width units, height units) of the patch shapes, in the pool's order
_FORMATS = ((1, 1), (1, 2), (2, 1), (2, 3), (3, 2))
_PATCH_MIN = 16
_PATCH_STEP = 16

DIM = _CELLS * _CELLS * _CHANNELS


@dataclass(frozen=True)
class Patch:
    x: int
    y: int
    width: int
    height: int


@cache
def feature_pool() -> tuple[Patch, ...]:
    """Every patch of the pool, in SeetaFace's order (model feature ids count from 1 here)."""
    patches = []
    for unit_w, unit_h in _FORMATS:
        for height in range(_PATCH_MIN, WINDOW + 1):
            if height % _CELLS or height % unit_h:
                continue
            width = height // unit_h * unit_w
            if width % _CELLS or not _PATCH_MIN <= width <= WINDOW:
                continue
            for y in range(0, WINDOW - height + 1, _PATCH_STEP):
                for x in range(0, WINDOW - width + 1, _PATCH_STEP):
                    patches.append(Patch(x, y, width, height))
    return tuple(patches)


@dataclass(frozen=True)
class _CellLayout:
    rows: NDArray[np.float32]  # (row ranges, 40): 1 inside the range
    cols: NDArray[np.float32]  # (40, column ranges)
    row_index: NDArray[np.intp]  # per cell of the stage's features, in vector order
    col_index: NDArray[np.intp]


@cache
def _layout(feature_ids: tuple[int, ...]) -> _CellLayout:
    pool = feature_pool()
    row_ranges: dict[tuple[int, int], int] = {}
    col_ranges: dict[tuple[int, int], int] = {}
    row_index, col_index = [], []
    for feature_id in feature_ids:
        patch = pool[feature_id - 1]
        cell_w, cell_h = patch.width // _CELLS, patch.height // _CELLS
        for row in range(_CELLS):
            for col in range(_CELLS):
                y0, x0 = patch.y + row * cell_h, patch.x + col * cell_w
                row_index.append(row_ranges.setdefault((y0, y0 + cell_h), len(row_ranges)))
                col_index.append(col_ranges.setdefault((x0, x0 + cell_w), len(col_ranges)))
    rows = np.zeros((len(row_ranges), WINDOW), dtype=np.float32)
    for (start, stop), i in row_ranges.items():
        rows[i, start:stop] = 1
    cols = np.zeros((WINDOW, len(col_ranges)), dtype=np.float32)
    for (start, stop), i in col_ranges.items():
        cols[start:stop, i] = 1
    return _CellLayout(rows, cols, np.asarray(row_index, np.intp), np.asarray(col_index, np.intp))


def _gradient(pixels: NDArray[np.float32], axis: int) -> NDArray[np.float32]:
    moved = np.moveaxis(pixels, axis, 0)
    grad = np.empty_like(moved)
    np.subtract(moved[2:], moved[:-2], out=grad[1:-1])
    grad[0] = (moved[1] - moved[0]) * 2
    grad[-1] = (moved[-1] - moved[-2]) * 2
    return np.moveaxis(grad, 0, axis)


def _channels(windows: NDArray[np.uint8]) -> NDArray[np.float32]:
    """(8, 40 rows, n, 40 columns) channel images of the windows (small integers, exact)."""
    pixels = windows.transpose(1, 0, 2).astype(np.float32)  # rows first
    dx = _gradient(pixels, 2)
    dy = _gradient(pixels, 0)
    out = np.empty((_CHANNELS, *pixels.shape), dtype=np.float32)
    dy_ok = dy >= 0
    dx_ok = dx >= 0
    np.multiply(dx, dy_ok, out=out[0])
    np.abs(dx, out=out[3])
    np.multiply(out[3], dy_ok, out=out[1])
    np.subtract(dx, out[0], out=out[2])
    out[3] -= out[1]
    np.multiply(dy, dx_ok, out=out[4])
    np.abs(dy, out=out[7])
    np.multiply(out[7], dx_ok, out=out[5])
    np.subtract(dy, out[4], out=out[6])
    out[7] -= out[5]
    return out


def _wrap_i32(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Two's-complement wrap to 32 bits, as rustface's release build squares feature values."""
    return ((values + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def feature_vectors(windows: NDArray[np.uint8], feature_ids: tuple[int, ...]) -> NDArray[np.float32]:
    """(n, 32 * len(feature_ids)) normalised feature vectors of (n, 40, 40) windows."""
    layout = _layout(feature_ids)
    count = windows.shape[0]
    channels = _channels(windows).reshape(_CHANNELS, WINDOW, -1)
    by_rows = np.matmul(layout.rows, channels)  # (8, row ranges, n * 40)
    sums = np.matmul(by_rows.reshape(_CHANNELS, -1, count, WINDOW), layout.cols)  # (8, rows, n, cols)
    cells = sums[:, layout.row_index, :, layout.col_index]  # (cells, 8, n)
    values = np.rint(cells).astype(np.int64).transpose(2, 0, 1).reshape(count, len(feature_ids), DIM)
    # The squares wrap in 32-bit integers before their sum is taken in double precision.
    norm_sq = _wrap_i32(values * values).astype(np.float64).sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.sqrt(norm_sq).astype(np.float32)
        normalised = values.astype(np.float32) / norm
    normalised = np.where(norm_sq == 0.0, np.float32(0.0), normalised)
    return normalised.reshape(count, -1).astype(np.float32)
