"""OpenCV's frontal-face Haar cascade, scored and filtered like rustface's detector."""

from __future__ import annotations

import cv2
import numpy as np

_CASCADE = "haarcascade_frontalface_default.xml"
_NEIGHBOURS = 3  # fewest overlapping raw hits that make a face


def detect(
    jpeg: bytes, *, min_size: int, max_size: int | None, scale: float, threshold: float
) -> list[tuple[tuple[int, int, int, int], float]] | None:
    """``((x, y, width, height), score)`` of each face, best score first; None if undecodable."""
    gray = cv2.imdecode(np.frombuffer(jpeg, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        return None
    largest = min(gray.shape[:2]) if max_size is None else min(max_size, *gray.shape[:2])
    if largest < min_size:
        return []
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + _CASCADE)  # type: ignore[attr-defined]
    boxes, _, weights = cascade.detectMultiScale3(
        gray,
        scaleFactor=1.0 / scale,
        minNeighbors=_NEIGHBOURS,
        minSize=(min_size, min_size),
        maxSize=(largest, largest),
        outputRejectLevels=True,
    )
    faces = [
        ((int(x), int(y), int(w), int(h)), float(score))
        for (x, y, w, h), score in zip(boxes, np.ravel(weights), strict=True)
        if float(score) >= threshold
    ]
    faces.sort(key=lambda face: -face[1])
    return faces
