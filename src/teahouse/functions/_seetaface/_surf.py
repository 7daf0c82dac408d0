"""SURF-like feature vectors of 40x40 windows, the input of the MLP stages.

Per pixel: the horizontal and vertical gradients (central differences, doubled one-sided
differences at the borders) split into eight channels: dx and |dx| kept where dy >= 0 (0, 1)
or where dy < 0 (2, 3); dy and |dy| kept where dx >= 0 (4, 5) or where dx < 0 (6, 7). A
feature is a patch of the window cut into 2x2 cells; its vector is the eight channel sums of
each cell (row by row), 32 values, divided by their L2 norm in single precision.
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


def _gradient(pixels: NDArray[np.int32], axis: int) -> NDArray[np.int32]:
    grad = np.empty_like(pixels)
    length = pixels.shape[axis]

    def part(start: int, stop: int) -> tuple[slice, ...]:
        index = [slice(None)] * pixels.ndim
        index[axis] = slice(start, stop)
        return tuple(index)

    grad[part(1, length - 1)] = pixels[part(2, length)] - pixels[part(0, length - 2)]
    grad[part(0, 1)] = (pixels[part(1, 2)] - pixels[part(0, 1)]) * 2
    grad[part(length - 1, length)] = (
        pixels[part(length - 1, length)] - pixels[part(length - 2, length - 1)]
    ) * 2
    return grad


def integral_channels(windows: NDArray[np.uint8]) -> NDArray[np.int64]:
    """(n, 41, 41, 8) inclusive prefix sums of the eight channels, zero row and column in front."""
    pixels = windows.astype(np.int32)
    dx = _gradient(pixels, 2)
    dy = _gradient(pixels, 1)
    dy_negative = dy < 0
    dx_negative = dx < 0
    channels = np.zeros((*windows.shape, _CHANNELS), dtype=np.int64)
    channels[..., 0] = np.where(dy_negative, 0, dx)
    channels[..., 1] = np.where(dy_negative, 0, np.abs(dx))
    channels[..., 2] = np.where(dy_negative, dx, 0)
    channels[..., 3] = np.where(dy_negative, np.abs(dx), 0)
    channels[..., 4] = np.where(dx_negative, 0, dy)
    channels[..., 5] = np.where(dx_negative, 0, np.abs(dy))
    channels[..., 6] = np.where(dx_negative, dy, 0)
    channels[..., 7] = np.where(dx_negative, np.abs(dy), 0)
    count, height, width = windows.shape
    out = np.zeros((count, height + 1, width + 1, _CHANNELS), dtype=np.int64)
    out[:, 1:, 1:] = channels.cumsum(1).cumsum(2)
    return out


def _wrap_i32(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Two's-complement wrap to 32 bits, as rustface's release build squares feature values."""
    return ((values + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def feature_vectors(integral: NDArray[np.int64], feature_ids: tuple[int, ...]) -> NDArray[np.float32]:
    """(n, 32 * len(feature_ids)) normalised feature vectors, features in the given order."""
    pool = feature_pool()
    parts = []
    for feature_id in feature_ids:
        patch = pool[feature_id - 1]
        cell_w, cell_h = patch.width // _CELLS, patch.height // _CELLS
        cells = []
        for row in range(_CELLS):
            for col in range(_CELLS):
                x0, y0 = patch.x + col * cell_w, patch.y + row * cell_h
                x1, y1 = x0 + cell_w, y0 + cell_h
                cells.append(
                    integral[:, y1, x1] - integral[:, y0, x1] - integral[:, y1, x0] + integral[:, y0, x0]
                )
        vector = np.concatenate(cells, axis=1)  # (n, 32), cell by cell, 8 channels each
        # The squares wrap in 32-bit integers before their sum is taken in double precision.
        norm_sq = _wrap_i32(vector * vector).astype(np.float64).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            norm = np.sqrt(norm_sq).astype(np.float32)[:, np.newaxis]
            normalised = vector.astype(np.float32) / norm
        parts.append(np.where(norm_sq[:, np.newaxis] == 0.0, np.float32(0.0), normalised))
    return np.concatenate(parts, axis=1).astype(np.float32)
