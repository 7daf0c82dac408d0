"""The MLP of a SURF stage, in single precision with rustface's order of operations.

Each output is ``sum(input[k] * weight[k] for k in order) + bias`` accumulated one term at a
time in float32 (no fused multiply-add, no pairwise summation), so scores and box offsets come
out bit for bit as rustface's portable build computes them. The loop runs over the inputs and is
vectorised over windows and outputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from teahouse.functions._seetaface._model import Layer

_ONE = np.float32(1.0)


def _affine(inputs: NDArray[np.float32], layer: Layer) -> NDArray[np.float32]:
    total = np.zeros((inputs.shape[0], layer.weights.shape[0]), dtype=np.float32)
    term = np.empty_like(total)
    weights_by_input = np.ascontiguousarray(layer.weights.T)
    for k in range(weights_by_input.shape[0]):
        np.multiply(inputs[:, k : k + 1], weights_by_input[k], out=term)
        total += term
    total += layer.biases
    return total


def _sigmoid(values: NDArray[np.float32]) -> NDArray[np.float32]:
    # exp is taken in double precision and rounded once: the correctly rounded expf.
    with np.errstate(over="ignore"):
        exp = np.exp(-values.astype(np.float64)).astype(np.float32)
    return _ONE / (_ONE + exp)


def forward(inputs: NDArray[np.float32], layers: tuple[Layer, ...]) -> NDArray[np.float32]:
    """Outputs of the network for each row of ``inputs``: ReLU hidden layers, sigmoid last."""
    values = inputs
    for layer in layers[:-1]:
        values = _affine(values, layer)
        values = np.where(values > 0, values, np.float32(0.0))
    return _sigmoid(_affine(values, layers[-1]))
