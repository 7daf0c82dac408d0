"""numpy kernels for logistic regression and PCA (rusty-machine's algorithms)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


def _sigmoid(z: Matrix) -> Matrix:
    with np.errstate(over="ignore"):
        result: Matrix = 1.0 / (1.0 + np.exp(-z))
    return result


def _with_bias(features: Matrix) -> Matrix:
    return np.hstack([np.ones((features.shape[0], 1)), features])


def train_logistic(rows: list[list[float]], alpha: float, iters: int) -> list[float]:
    """Gradient descent from 0.5: w <- w - alpha * X^T (sigmoid(X w) - y) / m; X has a leading 1s column."""
    data = np.asarray(rows, dtype=np.float64)
    inputs = _with_bias(data[:, :-1])
    targets = data[:, -1]
    weights = np.full(inputs.shape[1], 0.5)
    count = float(inputs.shape[0])
    transposed = np.ascontiguousarray(inputs.T)
    for _ in range(iters):
        gradient = transposed @ (_sigmoid(inputs @ weights) - targets) / count
        weights = weights - gradient * alpha
    return [float(w) for w in weights]


def predict_logistic(rows: list[list[float]], parameters: list[float]) -> list[float]:
    if not rows:
        return []
    inputs = _with_bias(np.asarray(rows, dtype=np.float64))
    return [float(p) for p in _sigmoid(inputs @ np.asarray(parameters))]


def pca_transform(rows: list[list[float]], components: int, center: bool) -> Matrix:
    """Project the rows on their first ``components`` right-singular vectors (after centering)."""
    data = np.asarray(rows, dtype=np.float64)
    if center:
        data = data - data.mean(axis=0)
    _, _, vt = np.linalg.svd(data, full_matrices=False)
    result: Matrix = data @ vt[:components].T
    return result
