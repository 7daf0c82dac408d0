"""``builtin-face-detection``: find frontal faces in a JPEG given as a list of byte values.

Teaclave ran rustface (SeetaFace's funnel-structured cascade). Teahouse uses OpenCV's frontal
Haar cascade (``teahouse[face]``) behind the same arguments and the same output JSON:
``[{"bbox":{"x","y","width","height"},"roll","pitch","yaw","score"}, ...]``, best score first.
``pyramid_scale_factor`` becomes the cascade's scale step (1 / factor), ``min_face_size`` and
``max_face_size`` bound the box size, and ``score_thresh`` applies to the cascade's confidence
(the weight of its last stage, a different scale from SeetaFace's score). ``window_size`` and the
slide steps are checked as rustface checks them but do not change OpenCV's scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import BYTES, F32, F64, U32, arg
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._rustfmt import json_f64

NAME = "builtin-face-detection"

# rustface's defaults.
DEFAULT_MIN_FACE = 20
DEFAULT_SCALE = 0.8
DEFAULT_THRESHOLD = 2.0


@dataclass(frozen=True)
class FaceDetectionArguments:
    image: bytes = arg(BYTES)
    window_size: int | None = arg(U32, optional=True)
    slide_window_step_x: int | None = arg(U32, optional=True)
    slide_window_step_y: int | None = arg(U32, optional=True)
    min_face_size: int | None = arg(U32, optional=True)
    max_face_size: int | None = arg(U32, optional=True)
    pyramid_scale_factor: float | None = arg(F32, optional=True)
    score_thresh: float | None = arg(F64, optional=True)


@dataclass(frozen=True)
class Face:
    x: int
    y: int
    width: int
    height: int
    score: float

    def to_json(self) -> str:
        return (
            f'{{"bbox":{{"x":{self.x},"y":{self.y},"width":{self.width},"height":{self.height}}},'
            f'"roll":0.0,"pitch":0.0,"yaw":0.0,"score":{json_f64(self.score)}}}'
        )


def check(args: FaceDetectionArguments) -> None:
    """Reject the values for which rustface's setters panic."""
    if args.window_size is not None and args.window_size < 20:
        raise FunctionError(f"argument `window_size` is {args.window_size}, expected at least 20")
    steps = (args.slide_window_step_x, args.slide_window_step_y)
    if None not in steps and 0 in steps:
        raise FunctionError("arguments `slide_window_step_x` and `slide_window_step_y` must be positive")
    if args.min_face_size is not None and args.min_face_size < 20:
        raise FunctionError(f"argument `min_face_size` is {args.min_face_size}, expected at least 20")
    factor = args.pyramid_scale_factor
    if factor is not None and not 0.01 <= factor <= 0.99:
        raise FunctionError(f"argument `pyramid_scale_factor` is {factor}, expected 0.01..0.99")
    if args.score_thresh is not None and args.score_thresh <= 0:
        raise FunctionError(f"argument `score_thresh` is {args.score_thresh}, expected a positive number")
    if not args.image.startswith(b"\xff\xd8\xff"):
        raise FunctionError("argument `image` is not a JPEG image")


def run(rt: FunctionRuntime[FaceDetectionArguments]) -> str:
    args = rt.args
    check(args)
    require_extra(NAME, "face")
    from teahouse.functions import _face_cv

    faces = _face_cv.detect(
        args.image,
        min_size=args.min_face_size or DEFAULT_MIN_FACE,
        max_size=args.max_face_size,
        scale=args.pyramid_scale_factor or DEFAULT_SCALE,
        threshold=DEFAULT_THRESHOLD if args.score_thresh is None else args.score_thresh,
    )
    if faces is None:
        raise FunctionError("argument `image` could not be decoded as a JPEG image")
    found = [Face(*box, score=score) for box, score in faces]
    return "[" + ",".join(face.to_json() for face in found) + "]"


BUILTIN = Builtin(NAME, FaceDetectionArguments, run, "teaclave_function::face_detection", "face")
