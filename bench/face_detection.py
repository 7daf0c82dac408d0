"""builtin-face-detection on Teaclave's fixture (1666x1136, 29 faces): the numpy SeetaFace port
called directly in this process, best of three, beside the rustface wheel's own binding (Rust)
on the same grey image when it loads.
"""

from __future__ import annotations

import os

# As in the builtin workers: one BLAS thread (the port's matrix products are small).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import time
from collections.abc import Callable
from pathlib import Path

from teahouse.functions import run_builtin

FIXTURE = Path(__file__).parent.parent / "tests" / "functions" / "fixtures" / "faces.jpg"
ARGS = {"min_face_size": 20, "score_thresh": 2.0, "pyramid_scale_factor": 0.8}


def _best(run: Callable[[], object], times: int = 3) -> tuple[float, float]:
    """Best wall and CPU seconds of ``times`` runs."""
    walls, cpus = [], []
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    image = list(FIXTURE.read_bytes())
    arguments = {"image": image, **ARGS, "slide_window_step_x": 4, "slide_window_step_y": 4}

    def port() -> object:
        return run_builtin("builtin-face-detection", arguments=arguments, inputs={}, outputs={})

    port()  # model parse and imports
    wall, cpu = _best(port)
    print(f"numpy port, whole builtin (decode + detect): {wall:.2f} s wall, {cpu:.2f} s CPU")
    try:
        import rustface  # type: ignore[import-untyped]

        from teahouse.functions._face_jpeg import decode_grey
    except (ImportError, OSError) as exc:
        print(f"rustface binding: not available ({exc})")
        return
    grey = decode_grey(FIXTURE.read_bytes())
    assert grey is not None
    height, width = grey.shape

    def binding() -> object:
        detector = rustface.Detector()
        detector.set_min_face_size(20)
        detector.set_score_thresh(2.0)
        detector.set_pyramid_scale_factor(0.8)
        detector.set_slide_window_step(4, 4)
        return list(detector.detect(rustface.ImageData(grey.tobytes(), width, height)))

    wall, cpu = _best(binding)
    print(f"rustface 0.1.0 binding, detect only: {wall:.2f} s wall, {cpu:.2f} s CPU (threads: rayon)")


if __name__ == "__main__":
    main()
