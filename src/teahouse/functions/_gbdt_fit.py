"""gbdt-rs 0.1 training, re-derived and vectorised with numpy.

Faithful to the crate's arithmetic: features, labels, targets and predictions are f32, impurity
sums are f64 accumulated sequentially in the crate's order, split values are ``(a + b) / 2`` in
f32, leaf values follow the loss (mean, logit step or weighted residual median for LAD), and
trees grow depth first with nodes numbered in pre-order. ``training_optimization_level`` picks
how a node finds its samples in feature order (0: filter the global sort; 1 and 2: carry the
parent's sorted lists down); the model is the same either way.

The crate sorts with an unstable sort; this port sorts stably, so equal feature values may be
visited in another order. For LAD (integer ±1 targets) sums are exact and the model is the same;
for the other losses a different order can change the last bit of a float sum.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from teahouse.functions._gbdt_infer import predict_tree
from teahouse.functions._gbdt_model import F32_MIN, Config, Model, Tree

F32 = np.float32
Floats = npt.NDArray[np.float32]
Doubles = npt.NDArray[np.float64]
Index = npt.NDArray[np.int64]
_F64_MAX = float(np.finfo(np.float64).max)


def _seq_sum(values: Doubles) -> float:
    """Left-to-right sum (np.sum adds pairwise, which rounds differently)."""
    return float(np.cumsum(values)[-1]) if values.size else 0.0


@dataclass
class _Orders:
    """A node's samples sorted by each feature and by residual (the crate's SubCache)."""

    features: list[Index]
    residual: Index

    def restrict(self, member: npt.NDArray[np.bool_]) -> _Orders:
        features = [order[member[order]] for order in self.features]
        return _Orders(features, self.residual[member[self.residual]])


class _Trainer:
    def __init__(self, features: Floats, labels: Floats, conf: Config, rng: random.Random) -> None:
        self.x = features
        self.y = labels
        self.conf = conf
        self.rng = rng
        self.n, self.width = features.shape
        self.weight = np.ones(self.n, dtype=F32)
        self.c = self.weight.astype(np.float64)
        self.target = np.zeros(self.n, dtype=F32)
        self.residual = np.zeros(self.n, dtype=F32)
        self.s = np.zeros(self.n)
        self.ss = np.zeros(self.n)
        self.logit_c = np.zeros(self.n, dtype=F32)
        self.preds = np.full(self.n, F32_MIN, dtype=F32)  # the crate's TrainingCache::preds
        self.feature_order = [np.argsort(features[:, j], kind="stable") for j in range(self.width)]
        self.residual_order = np.arange(self.n)

    # --- per-iteration caches --------------------------------------------------------------

    def prepare(self, predicted: Floats) -> None:
        loss = self.conf.loss
        if loss == "LAD":
            self.residual = self.y - predicted
            self.target = np.where(self.residual >= 0, F32(1.0), F32(-1.0)).astype(F32)
        elif loss == "LogLikelyhood":
            with np.errstate(over="ignore"):
                twice = F32(2.0) * self.y
                self.target = twice / (F32(1.0) + np.exp(twice * predicted))
        else:
            self.target = self.y - predicted
        target = self.target.astype(np.float64)
        self.s = target * self.c
        self.ss = target * self.s
        if loss == "LogLikelyhood":
            magnitude = np.abs(target)
            self.logit_c = (magnitude * (2.0 - magnitude) * self.c).astype(F32)
        if loss == "LAD":
            self.residual_order = np.argsort(self.residual, kind="stable")

    def root_orders(self, subset: Index) -> _Orders:
        member = np.zeros(self.n, dtype=bool)
        member[subset] = True
        return _Orders(list(self.feature_order), self.residual_order).restrict(member)

    def orders_for(self, data: Index, parent: _Orders | None) -> _Orders:
        member = np.zeros(self.n, dtype=bool)
        member[data] = True
        if self.conf.training_optimization_level == 0 or parent is None:
            return _Orders(list(self.feature_order), self.residual_order).restrict(member)
        return parent.restrict(member)

    # --- leaf values -------------------------------------------------------------------------

    def leaf_value(self, data: Index, orders: _Orders) -> float:
        loss = self.conf.loss
        if loss == "LAD":
            order = orders.residual
            if order.size == 0:
                return 0.0
            cumulative = np.cumsum(self.c[order])
            beyond = np.nonzero(cumulative * 2.0 > cumulative[-1])[0]
            if beyond.size == 0:
                return 0.0
            i = int(beyond[0])
            values = self.residual[order]
            if i >= 1:
                return float((values[i] + values[i - 1]) / F32(2.0))
            return float(values[i])
        if loss == "LogLikelyhood":
            total, weight = _seq_sum(self.s[data]), _seq_sum(self.logit_c[data].astype(np.float64))
        else:
            total, weight = _seq_sum(self.s[data]), _seq_sum(self.c[data])
        if abs(weight) < 1e-10:
            return 0.0
        return float(F32(total / weight))

    def same_target(self, data: Index) -> bool:
        if data.size == 0:
            return False
        first = self.target[data[0]]
        return bool(np.all(np.abs(first - self.target[data]).astype(np.float64) < 1e-5))

    # --- splitting -----------------------------------------------------------------------------

    def impurity(self, data: Index, order: Index, j: int) -> tuple[float, float]:
        """(impurity, split value) of feature ``j``: the crate's DecisionTree::get_impurity."""
        values = self.x[order, j]
        unknown = int(np.argmin(values == F32(F32_MIN))) if values.size else 0
        if values.size and values[0] == F32(F32_MIN) and np.all(values == F32(F32_MIN)):
            return _F64_MAX, F32_MIN
        if values.size == 0:
            return _F64_MAX, F32_MIN
        s_u, ss_u, c_u = (_seq_sum(a[order[:unknown]]) for a in (self.s, self.ss, self.c))
        fitness0 = max(ss_u - s_u * s_u / c_u, 0.0) if c_u > 1.0 else 0.0
        total_s, total_ss, total_c = (_seq_sum(a[data]) for a in (self.s, self.ss, self.c))
        known = order[unknown:]
        if known.size < 2:
            return _F64_MAX, F32_MIN
        s, ss, c = self.s[known], self.ss[known], self.c[known]
        ls, lss, lc = np.cumsum(s)[:-1], np.cumsum(ss)[:-1], np.cumsum(c)[:-1]
        rs = np.subtract.accumulate(np.concatenate(([total_s - s_u], s)))[1:-1]
        rss = np.subtract.accumulate(np.concatenate(([total_ss - ss_u], ss)))[1:-1]
        rc = np.subtract.accumulate(np.concatenate(([total_c - c_u], c)))[1:-1]
        kv = values[unknown:]
        low, high = kv[:-1], kv[1:]
        distinct = ~(np.abs(low - high).astype(np.float64) < 1e-5)
        with np.errstate(divide="ignore", invalid="ignore"):
            fitness1 = np.where(lc > 1.0, lss - ls * ls / lc, 0.0)
            fitness2 = np.where(rc > 1.0, rss - rs * rs / rc, 0.0)
        fitness1 = np.where(fitness1 < 0.0, 0.0, fitness1)
        fitness2 = np.where(fitness2 < 0.0, 0.0, fitness2)
        fitness = fitness0 + fitness1 + fitness2
        fitness = np.where(distinct & ~np.isnan(fitness), fitness, np.inf)
        best = int(np.argmin(fitness))
        if not fitness[best] < _F64_MAX:
            return _F64_MAX, F32_MIN
        return float(fitness[best]), float((low[best] + high[best]) / F32(2.0))

    def split(self, data: Index, orders: _Orders) -> tuple[int, float, Index, Index] | None:
        candidates = list(range(self.width))
        count = self.width
        if self.conf.feature_sample_ratio < 1.0:
            count = max(0, int(self.conf.feature_sample_ratio * self.width))
            self.rng.shuffle(candidates)
        best, found = _F64_MAX, None
        for j in candidates[:count]:
            impurity, value = self.impurity(data, orders.features[j], j)
            if best > impurity:
                best, found = impurity, (j, value)
        if found is None:
            return None
        j, value = found
        order = orders.features[j]
        values = self.x[order, j]
        unknown = values == F32(F32_MIN)
        below = ~unknown & (values < F32(value))
        left, right = order[below], order[~unknown & ~below]
        if (left.size == 0) + (right.size == 0) + (not unknown.any()) >= 2:
            return None
        return j, value, left, right

    # --- one tree ------------------------------------------------------------------------------

    def grow(self, subset: Index) -> Tree:
        conf = self.conf
        tree = Tree(
            feature_size=conf.feature_size,
            max_depth=conf.max_depth,
            min_leaf_size=conf.min_leaf_size,
            loss=conf.loss,
            feature_sample_ratio=conf.feature_sample_ratio,
        )
        # Work items: (parent, is_left, depth, samples, sorted orders). Popping the left child
        # before the right one numbers the nodes in the crate's recursive pre-order.
        stack: list[tuple[int | None, bool, int, Index, _Orders]] = [
            (None, True, 0, subset, self.root_orders(subset))
        ]
        while stack:
            parent, is_left, depth, data, orders = stack.pop()
            node = tree.nodes[tree.add(parent, is_left)]
            node.pred = self.leaf_value(data, orders)
            found = None
            if not (depth >= conf.max_depth or self.same_target(data) or data.size <= conf.min_leaf_size):
                found = self.split(data, orders)
            if found is None:
                node.is_leaf = True
                self.preds[data] = F32(node.pred)
                continue
            node.feature_index, node.feature_value, left, right = found
            stack.append((node.index, False, depth + 1, right, self.orders_for(right, orders)))
            stack.append((node.index, True, depth + 1, left, self.orders_for(left, orders)))
        return tree


def _label_median(labels: Floats, weights: Floats) -> float:
    """The crate's weighted_label_median, in f32, including its ``i - 1 > 0`` test."""
    order = np.argsort(labels, kind="stable")
    ordered, w = labels[order], weights[order]
    total = np.cumsum(w, dtype=F32)
    running = total
    beyond = np.nonzero(running * F32(2.0) > total[-1])[0] if total.size else np.array([], dtype=np.int64)
    if beyond.size == 0:
        return 0.0
    i = int(beyond[0])
    if i >= 2:
        return float((ordered[i] + ordered[i - 1]) / F32(2.0))
    # i == 1 takes the label itself; i == 0 makes the crate index out of bounds (a panic), and
    # here it takes the only candidate.
    return float(ordered[i])


def _label_average(labels: Floats, weights: Floats) -> float:
    if labels.size == 0:
        return math.nan
    total = np.cumsum(labels * weights, dtype=F32)[-1]
    weight = np.cumsum(weights, dtype=F32)[-1]
    return float(total / weight)


def initial_bias(labels: Floats, conf: Config) -> float:
    weights = np.ones(labels.size, dtype=F32)
    if conf.initial_guess_enabled:
        return 0.0
    if conf.loss == "LAD":
        return _label_median(labels, weights)
    average = F32(_label_average(labels, weights))
    if conf.loss == "LogLikelyhood":
        ratio = (F32(1.0) + average) / (F32(1.0) - average)
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(F32(float(np.log(np.float64(ratio)))) / F32(2.0))
    return float(average)


def fit(features: Floats, labels: Floats, conf: Config, rng: random.Random | None = None) -> Model:
    """Train ``conf.iterations`` trees on the rows of ``features`` (n by feature_size, f32)."""
    rng = rng or random.Random()
    trainer = _Trainer(features, labels, conf, rng)
    n = features.shape[0]
    sampled = int(n * conf.data_sample_ratio) if conf.data_sample_ratio < 1.0 else n
    bias = initial_bias(labels, conf)
    predicted = np.full(n, bias, dtype=F32)
    shrinkage = F32(conf.shrinkage)
    trees: list[Tree] = []
    everything = np.arange(n)
    lengths = np.full(n, features.shape[1], dtype=np.int64)
    for _ in range(conf.iterations):
        if sampled < n:
            shuffled = list(range(n))
            rng.shuffle(shuffled)
            subset = np.sort(np.array(shuffled[:sampled], dtype=np.int64))
            remaining = np.sort(np.array(shuffled[sampled:], dtype=np.int64))
        else:
            subset, remaining = everything, everything[:0]
        trainer.prepare(predicted)
        tree = trainer.grow(subset)
        trees.append(tree)
        predicted[subset] = predicted[subset] + trainer.preds[subset] * shrinkage
        if remaining.size:
            values = predict_tree(tree, features[remaining], lengths[remaining])
            predicted[remaining] = predicted[remaining] + values * shrinkage
    return Model(conf, trees, bias)
