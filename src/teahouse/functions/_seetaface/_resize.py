"""SeetaFace's bilinear resize (double-precision weights, truncated to bytes) and image pyramid."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

WINDOW = 40  # the detector's window: rustface always scans with 40x40, whatever window_size says


def _taps(src: int, dst: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Left source index and weight of the right neighbour for each of ``dst`` outputs."""
    position = (src / dst) * np.arange(dst, dtype=np.float64)
    left = np.minimum(position.astype(np.int64), src - 2)
    return left, position - left


def resize(image: NDArray[np.uint8], width: int, height: int) -> NDArray[np.uint8]:
    """Resize a grey image exactly as SeetaFace does (not OpenCV's pixel-centre convention)."""
    src_height, src_width = image.shape
    if (src_width, src_height) == (width, height):
        return image.copy()
    xs, wx = _taps(src_width, width)
    ys, wy = _taps(src_height, height)
    top = image[ys].astype(np.float64)
    bottom = image[ys + 1].astype(np.float64)
    wx_row = wx[np.newaxis, :]
    wy_col = wy[:, np.newaxis]
    upper = (1.0 - wx_row) * top[:, xs] + wx_row * top[:, xs + 1]
    lower = (1.0 - wx_row) * bottom[:, xs] + wx_row * bottom[:, xs + 1]
    return ((1.0 - wy_col) * upper + wy_col * lower).astype(np.uint8)


def pyramid(
    image: NDArray[np.uint8], step: np.float32, min_scale: np.float32
) -> Iterator[tuple[np.float32, NDArray[np.uint8]]]:
    """``(scale, scaled image)`` from scale 1 down by ``step`` while the scale is >= ``min_scale``.

    Scales multiply in single precision, and each level is resized from the full image.
    """
    height, width = image.shape
    scale = np.float32(1.0)
    while scale >= min_scale:
        scaled_width = int(np.float32(width) * scale)
        scaled_height = int(np.float32(height) * scale)
        yield scale, resize(image, scaled_width, scaled_height)
        scale = np.float32(scale * step)
