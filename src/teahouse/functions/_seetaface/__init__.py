"""A numpy port of SeetaFace's frontal face detector, as rustface runs it (Teaclave's detector).

``load_model()`` reads ``seeta_fd_frontal_v1.0`` from the installed ``rustface`` wheel (the
``teahouse[face]`` extra); ``detect_faces(model, grey, Settings(...))`` returns the faces of a
grey image in rustface's order with rustface's boxes and scores.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from teahouse.functions._seetaface._detector import Face, Settings, detect_faces
from teahouse.functions._seetaface._model import Model, ModelFormatError, find_model_file, parse_model
from teahouse.functions._seetaface._surf import feature_pool

__all__ = [
    "Face",
    "Model",
    "ModelFormatError",
    "ModelMissingError",
    "Settings",
    "detect_faces",
    "find_model_file",
    "load_model",
    "read_model",
]


class ModelMissingError(FileNotFoundError):
    """The ``rustface`` wheel, which ships the model file, is not installed."""


def read_model(path: Path) -> Model:
    """Parse a SeetaFace detector model file."""
    return parse_model(path.read_bytes(), pool_size=len(feature_pool()))


@cache
def load_model() -> Model:
    """The frontal model of the installed ``rustface`` wheel, parsed once per process."""
    path = find_model_file()
    if path is None:
        raise ModelMissingError("the rustface wheel that ships seeta_fd_frontal_v1.0 is not installed")
    return read_model(path)
