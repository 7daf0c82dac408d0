"""gbdt-rs prediction, vectorised with numpy in f32 arithmetic (bit-exact with the Rust crate)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from teahouse.functions._gbdt_model import F32_MIN, Model, ModelError, Tree
from teahouse.functions._text import parse_f32

F32 = np.float32
Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


class ShortRow(ValueError):
    """A row lacks a feature that a tree needs (gbdt-rs asserts and panics there)."""

    def __init__(self, row: int, feature: int, tree: int) -> None:
        super().__init__(f"row {row} has no feature {feature}, which tree {tree} needs")
        self.row = row
        self.feature = feature
        self.tree = tree


def predict_tree(tree: Tree, features: Floats, lengths: Ints, tree_number: int = 0) -> Floats:
    """One tree's value for every row; ``lengths`` says how many features each row really has."""
    nodes = tree.nodes
    is_leaf = np.array([n.is_leaf for n in nodes], dtype=bool)
    feature = np.array([n.feature_index for n in nodes], dtype=np.int64)
    threshold = np.array([n.feature_value for n in nodes], dtype=F32)
    pred = np.array([n.pred for n in nodes], dtype=F32)
    missing = np.array([n.missing for n in nodes], dtype=np.int64)
    left = np.array([n.left for n in nodes], dtype=np.int64)
    right = np.array([n.right for n in nodes], dtype=np.int64)

    rows = features.shape[0]
    out = np.zeros(rows, dtype=F32)
    position = np.zeros(rows, dtype=np.int64)
    active = np.arange(rows)
    for _ in range(len(nodes) + 1):
        if active.size == 0:
            return out
        here = position[active]
        leaf = is_leaf[here]
        out[active[leaf]] = pred[here[leaf]]
        active, here = active[~leaf], here[~leaf]
        wanted = feature[here]
        short = wanted >= lengths[active]
        if short.any():
            first = int(np.argmax(short))
            raise ShortRow(int(active[first]), int(wanted[first]), tree_number)
        values = features[active, wanted]
        unknown = values == F32(F32_MIN)
        stop = unknown & (missing[here] == 0)
        out[active[stop]] = pred[here[stop]]
        go_left = np.where(unknown, missing[here] == -1, values < threshold[here])
        following = np.where(go_left, left[here], right[here])
        keep = ~stop
        active = active[keep]
        position[active] = following[keep]
    raise ModelError(f"tree {tree_number} has a cycle")


def predict(model: Model, features: Floats, lengths: Ints) -> Floats:
    """The model's prediction for every row (GBDT::predict, including its loss transforms)."""
    rows = features.shape[0]
    start = 0.0 if model.conf.initial_guess_enabled else model.bias
    total = np.full(rows, start, dtype=F32)
    shrinkage = F32(model.conf.shrinkage)
    for number, tree in enumerate(model.trees):
        total = total + shrinkage * predict_tree(tree, features, lengths, number)
    with np.errstate(over="ignore"):
        if model.conf.loss == "LogLikelyhood":
            total = F32(1.0) / (F32(1.0) + np.exp(F32(-2.0) * total))
        elif model.conf.loss in ("BinaryLogistic", "RegLogistic"):
            total = F32(1.0) / (F32(1.0) + np.exp(-total))
    return total


def exact_f32(matrix: npt.NDArray[np.float64], token_at: Callable[[int, int], str]) -> Floats:
    """Round parsed doubles to f32 as ``str::parse::<f32>`` rounds the decimals (exactly once).

    Rounding the double again only goes wrong where the double lies exactly halfway between two
    f32 values; those rare entries are parsed again from their text.
    """
    with np.errstate(over="ignore"):
        single = matrix.astype(F32)
    rows, cols = np.nonzero(single.astype(np.float64) != matrix)
    if rows.size:
        near = single[rows, cols]
        wide = matrix[rows, cols]
        away = np.nextafter(near, np.where(wide > near, F32(np.inf), F32(-np.inf)).astype(F32))
        ties = (near.astype(np.float64) + away.astype(np.float64)) / 2 == wide
        for i, j in zip(rows[ties], cols[ties], strict=True):
            single[i, j] = parse_f32(token_at(int(i), int(j)))
    return single


def ragged_to_matrix(rows: list[list[float]]) -> tuple[npt.NDArray[np.float64], Ints]:
    """Pack rows of different lengths into one matrix (zero padded) plus each row's length."""
    width = max((len(r) for r in rows), default=0)
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    if rows and np.all(lengths == width):
        return np.asarray(rows, dtype=np.float64), lengths
    matrix = np.zeros((len(rows), max(width, 1)), dtype=np.float64)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    return matrix, lengths
