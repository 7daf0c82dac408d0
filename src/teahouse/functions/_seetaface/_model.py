"""SeetaFace's detector model file (``seeta_fd_frontal_v1.0.bin``) and where to find it.

The file is a flat little-endian stream of int32 and float32 values::

    hierarchy count
    per hierarchy: group count
      per group: stage count
        per stage: kind (0 = LAB boosted, 1 = SURF MLP), then the stage (below)
      per group: window source count (-1: none), then that many first-hierarchy group indices
    LAB boosted: base classifier count n, bin count b; n (x, y) feature offsets; n thresholds;
                 n rows of b + 1 weights
    SURF MLP:    layer count L, feature count f; f feature ids (1-based); threshold;
                 input size, then for each of the L - 1 layers: output size, the weights
                 (output-major) and the biases. Hidden layers use ReLU, the last a sigmoid.
"""

from __future__ import annotations

import importlib.metadata
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MODEL_NAME = "seeta_fd_frontal_v1.0"
# The rustface 0.1.0 wheel ships the model as a ``.py`` file next to its binding.
_DISTRIBUTION = "rustface"


class ModelFormatError(ValueError):
    """The model file is truncated or holds a value no SeetaFace model has."""


@dataclass(frozen=True)
class LabStage:
    """A boosted classifier over LAB (locally assembled binary) features, scored in groups of 10."""

    offsets: NDArray[np.int64]  # (n, 2): x, y of each feature inside the 40x40 window
    thresholds: NDArray[np.float32]  # (n,); the one after each group of 10 is checked
    weights: NDArray[np.float32]  # (n, bins): the score of each feature value


@dataclass(frozen=True)
class Layer:
    weights: NDArray[np.float32]  # (outputs, inputs)
    biases: NDArray[np.float32]  # (outputs,)


@dataclass(frozen=True)
class MlpStage:
    """An MLP over L2-normalised SURF feature vectors; output 0 is the score, 1..3 move the box."""

    feature_ids: tuple[int, ...]  # 1-based indices into the SURF feature pool
    threshold: np.float32
    layers: tuple[Layer, ...]


Stage = LabStage | MlpStage


@dataclass(frozen=True)
class Group:
    """One classifier of a hierarchy: its stages and the first-hierarchy groups it takes windows from."""

    stages: tuple[Stage, ...]
    window_sources: tuple[int, ...]


@dataclass(frozen=True)
class Model:
    hierarchies: tuple[tuple[Group, ...], ...]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _take(self, count: int) -> int:
        start = self._pos
        if count < 0 or start + 4 * count > len(self._data):
            raise ModelFormatError(f"model file ends early (at byte {start})")
        self._pos += 4 * count
        return start

    def integer(self) -> int:
        (value,) = struct.unpack_from("<i", self._data, self._take(1))
        return int(value)

    def count(self, what: str, *, limit: int = 1 << 20) -> int:
        value = self.integer()
        if not 0 <= value <= limit:
            raise ModelFormatError(f"model file has {value} as its {what}")
        return value

    def ints(self, count: int) -> NDArray[np.int32]:
        return np.frombuffer(self._data, "<i4", count, self._take(count)).astype(np.int32)

    def floats(self, count: int) -> NDArray[np.float32]:
        return np.frombuffer(self._data, "<f4", count, self._take(count)).astype(np.float32)

    def at_end(self) -> bool:
        return self._pos == len(self._data)


def _read_lab(reader: _Reader) -> LabStage:
    count = reader.count("base classifier count")
    bins = reader.count("bin count", limit=255) + 1
    if count % 10:
        raise ModelFormatError(f"LAB stage has {count} base classifiers, not a multiple of 10")
    offsets = reader.ints(2 * count).reshape(count, 2).astype(np.int64)
    if offsets.size and (offsets.min() < 0 or offsets.max() > 31):
        raise ModelFormatError("LAB feature offset outside the 40x40 window")
    thresholds = reader.floats(count)
    weights = reader.floats(count * bins).reshape(count, bins)
    if bins < 256:
        # Every feature value 0..255 indexes the weights; missing bins would read past the end.
        raise ModelFormatError(f"LAB stage has {bins} bins, expected 256")
    return LabStage(offsets, thresholds, weights)


def _read_mlp(reader: _Reader, pool_size: int) -> MlpStage:
    layer_count = reader.count("layer count", limit=64)
    feature_count = reader.count("feature count", limit=pool_size)
    feature_ids = tuple(int(i) for i in reader.ints(feature_count))
    if any(not 1 <= i <= pool_size for i in feature_ids):
        raise ModelFormatError("SURF feature id outside the feature pool")
    (threshold,) = reader.floats(1)
    inputs = reader.count("layer size")
    if inputs != 32 * feature_count:
        raise ModelFormatError(f"MLP input size {inputs} does not match {feature_count} features")
    layers = []
    for _ in range(1, layer_count):
        outputs = reader.count("layer size")
        weights = reader.floats(inputs * outputs).reshape(outputs, inputs)
        layers.append(Layer(weights, reader.floats(outputs)))
        inputs = outputs
    if not layers or inputs < 4:
        raise ModelFormatError("MLP stage needs at least one layer with 4 outputs")
    return MlpStage(feature_ids, np.float32(threshold), tuple(layers))


def parse_model(data: bytes, *, pool_size: int) -> Model:
    """Read a model file; ``pool_size`` is the size of the SURF feature pool ids refer to."""
    reader = _Reader(data)
    hierarchies = []
    for _ in range(reader.count("hierarchy count", limit=64)):
        groups = []
        for _ in range(reader.count("group count", limit=64)):
            stages: list[Stage] = []
            for _ in range(reader.count("stage count", limit=64)):
                kind = reader.integer()
                if kind == 0:
                    stages.append(_read_lab(reader))
                elif kind == 1:
                    stages.append(_read_mlp(reader, pool_size))
                else:
                    raise ModelFormatError(f"unknown classifier kind {kind}")
            # The first hierarchy stores -1 here: no sources.
            source_count = max(reader.integer(), 0)
            if source_count > 64:
                raise ModelFormatError(f"model file has {source_count} as its window source count")
            sources = tuple(int(i) for i in reader.ints(source_count))
            groups.append(Group(tuple(stages), sources))
        hierarchies.append(tuple(groups))
    if not reader.at_end():
        raise ModelFormatError("model file has data after its last hierarchy")
    _check_structure(hierarchies)
    return Model(tuple(hierarchies))


def _check_structure(hierarchies: list[tuple[Group, ...]]) -> None:
    """The detector's assumptions: one LAB stage per first-hierarchy group, MLP stages after."""
    if not hierarchies or not hierarchies[0]:
        raise ModelFormatError("model has no first hierarchy")
    first = hierarchies[0]
    if any(len(g.stages) != 1 or not isinstance(g.stages[0], LabStage) for g in first):
        raise ModelFormatError("first hierarchy groups must each be one LAB stage")
    for groups in hierarchies[1:]:
        if len(groups) > len(first):
            raise ModelFormatError("a later hierarchy has more groups than the first")
        for group in groups:
            if not group.window_sources or any(not 0 <= s < len(first) for s in group.window_sources):
                raise ModelFormatError("window source outside the first hierarchy")
            if not group.stages or any(not isinstance(s, MlpStage) for s in group.stages):
                raise ModelFormatError("later hierarchies must hold MLP stages")


def find_model_file() -> Path | None:
    """The model file shipped by the installed ``rustface`` wheel, without importing the package."""
    try:
        distribution = importlib.metadata.distribution(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in distribution.files or ():
        if file.parent.name == _DISTRIBUTION and file.stem == MODEL_NAME:
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                return path
    return None
