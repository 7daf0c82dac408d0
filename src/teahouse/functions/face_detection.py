"""``builtin-face-detection``: find frontal faces in a JPEG given as a list of byte values.

Teaclave runs rustface (SeetaFace's funnel-structured cascade with the ``seeta_fd_frontal_v1.0``
model); Teahouse runs a numpy port of the same detector (``_seetaface``), with the model read
from the ``rustface`` wheel of the ``teahouse[face]`` extra. Arguments, defaults and checks are
rustface's: ``window_size`` and ``min_face_size`` are only checked (rustface always scans 40x40
windows from scale 1 down), the slide steps apply only when both are given, and a
``max_face_size`` above ``i32::MAX`` is ignored as rustface's cast to i32 makes it. The output
is ``[{"bbox":{"x","y","width","height"},"roll","pitch","yaw","score"}, ...]`` in rustface's
order (the order of its last non-maximum suppression, not sorted by final score).
"""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.functions._args import BYTES, F32, F64, U32, arg
from teahouse.functions._builtin import Builtin, require_extra
from teahouse.functions._errors import FunctionError, MissingExtra
from teahouse.functions._runtime import FunctionRuntime
from teahouse.functions._rustfmt import json_f32, json_f64
from teahouse.functions._text import to_f32

NAME = "builtin-face-detection"

# rustface's defaults.
DEFAULT_MIN_FACE = 20
DEFAULT_STEP = 4
DEFAULT_SCALE = 0.8
DEFAULT_THRESHOLD = 3.85
_I32_MAX = (1 << 31) - 1
# rustface compares the f32 factor with f32 literals.
_F32_0_01 = to_f32(0.01)
_F32_0_99 = to_f32(0.99)


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
    """Reject the values for which rustface's setters panic, then anything but a JPEG."""
    if args.window_size is not None and args.window_size < 20:
        raise FunctionError(f"argument `window_size` is {args.window_size}, expected at least 20")
    steps = (args.slide_window_step_x, args.slide_window_step_y)
    if None not in steps and 0 in steps:
        raise FunctionError("arguments `slide_window_step_x` and `slide_window_step_y` must be positive")
    if args.min_face_size is not None and args.min_face_size < 20:
        raise FunctionError(f"argument `min_face_size` is {args.min_face_size}, expected at least 20")
    factor = args.pyramid_scale_factor
    if factor is not None and not _F32_0_01 <= factor <= _F32_0_99:
        raise FunctionError(f"argument `pyramid_scale_factor` is {json_f32(factor)}, expected 0.01..0.99")
    if args.score_thresh is not None and args.score_thresh <= 0:
        raise FunctionError(f"argument `score_thresh` is {args.score_thresh}, expected a positive number")
    if not args.image.startswith(b"\xff\xd8\xff"):
        raise FunctionError("argument `image` is not a JPEG image")


def run(rt: FunctionRuntime[FaceDetectionArguments]) -> str:
    args = rt.args
    check(args)
    require_extra(NAME, "face")
    from teahouse.functions import _face_jpeg, _seetaface

    try:
        model = _seetaface.load_model()
    except _seetaface.ModelMissingError:
        raise MissingExtra(NAME, "face") from None
    except _seetaface.ModelFormatError as exc:
        raise FunctionError(f"the face detection model is unreadable: {exc}") from None
    grey = _face_jpeg.decode_grey(args.image)
    if grey is None:
        raise FunctionError("argument `image` could not be decoded as a JPEG image")
    step_x, step_y = DEFAULT_STEP, DEFAULT_STEP
    if args.slide_window_step_x is not None and args.slide_window_step_y is not None:
        step_x, step_y = args.slide_window_step_x, args.slide_window_step_y
    max_face = args.max_face_size
    settings = _seetaface.Settings(
        min_face_size=args.min_face_size or DEFAULT_MIN_FACE,
        max_face_size=max_face if max_face is not None and max_face <= _I32_MAX else -1,
        step_x=step_x,
        step_y=step_y,
        pyramid_scale_factor=DEFAULT_SCALE
        if args.pyramid_scale_factor is None
        else args.pyramid_scale_factor,
        score_thresh=DEFAULT_THRESHOLD if args.score_thresh is None else args.score_thresh,
    )
    faces = [
        Face(f.x, f.y, f.width, f.height, f.score) for f in _seetaface.detect_faces(model, grey, settings)
    ]
    return "[" + ",".join(face.to_json() for face in faces) + "]"


BUILTIN = Builtin(NAME, FaceDetectionArguments, run, "teaclave_function::face_detection", "face")
