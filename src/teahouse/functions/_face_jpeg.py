"""JPEG bytes to the grey image Teaclave's detector sees.

Teaclave decodes with the ``image`` crate (0.22) and converts to luma with single-precision
Rec. 709 weights, ``0.2126 R + 0.7152 G + 0.0722 B`` summed left to right and truncated; grey
JPEGs are taken as they are and EXIF orientation is ignored. OpenCV (libjpeg-turbo) decodes here.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

_WEIGHTS = (np.float32(0.2126), np.float32(0.7152), np.float32(0.0722))


def luma(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """(h, w, 3) RGB to (h, w) grey as the ``image`` crate computes it."""
    channels = rgb.astype(np.float32)
    red, green, blue = _WEIGHTS
    value: NDArray[np.float32] = red * channels[..., 0] + green * channels[..., 1] + blue * channels[..., 2]
    return value.astype(np.uint8)


def decode_grey(jpeg: bytes) -> NDArray[np.uint8] | None:
    """The grey image of a JPEG, or None when OpenCV cannot decode it."""
    data = np.frombuffer(jpeg, dtype=np.uint8)
    # IMREAD_UNCHANGED keeps grey JPEGs grey and leaves EXIF orientation alone.
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if image is None or image.dtype != np.uint8:
        return None
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.shape[2] != 3:
        # CMYK (and anything else with other than three channels) goes through OpenCV's BGR.
        image = cv2.imdecode(data, cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
        if image is None:
            return None
    rgb: NDArray[np.uint8] = np.asarray(image[:, :, ::-1], dtype=np.uint8)
    return luma(rgb)
