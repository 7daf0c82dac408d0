"""gbdt-rs 0.1 models: their data, their JSON (byte for byte as serde writes it) and its reader.

The model is ``{"conf":{...},"trees":[{"tree":{"tree":[node, ...]},...}, ...],"bias":...}``;
nodes are stored in the order gbdt-rs grows them (pre-order, left subtree first), children are
referenced by index and 0 means "none".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from teahouse.functions._rustfmt import json_f32, json_f64
from teahouse.functions._text import to_f32

# The loss names gbdt-rs understands (Config::set_loss) and the variant names serde writes.
LOSS_VARIANTS = {
    "SquaredError": "SquaredError",
    "LogLikelyhood": "LogLikelyhood",
    "LAD": "LAD",
    "reg:linear": "RegLinear",
    "reg:logistic": "RegLogistic",
    "binary:logistic": "BinaryLogistic",
    "binary:logitraw": "BinaryLogitraw",
    "multi:softprob": "MultiSoftprob",
    "multi:softmax": "MultiSoftmax",
    "rank:pairwise": "RankPairwise",
}
VARIANTS = frozenset(LOSS_VARIANTS.values())

F32_MIN = -3.4028234663852886e38  # gbdt-rs marks a missing feature value with f32::MIN


class ModelError(ValueError):
    """A model file that is not a usable gbdt-rs model; the message says what is wrong."""


@dataclass
class Config:
    feature_size: int = 1
    max_depth: int = 2
    iterations: int = 2
    shrinkage: float = 1.0  # f32
    feature_sample_ratio: float = 1.0
    data_sample_ratio: float = 1.0
    min_leaf_size: int = 1
    loss: str = "SquaredError"  # serde variant name
    debug: bool = False
    initial_guess_enabled: bool = False
    training_optimization_level: int = 2

    def to_json(self) -> str:
        return (
            f'{{"feature_size":{self.feature_size},"max_depth":{self.max_depth},'
            f'"iterations":{self.iterations},"shrinkage":{json_f32(self.shrinkage)},'
            f'"feature_sample_ratio":{json_f64(self.feature_sample_ratio)},'
            f'"data_sample_ratio":{json_f64(self.data_sample_ratio)},"min_leaf_size":{self.min_leaf_size},'
            f'"loss":"{self.loss}","debug":{_bool(self.debug)},'
            f'"initial_guess_enabled":{_bool(self.initial_guess_enabled)},'
            f'"training_optimization_level":{self.training_optimization_level}}}'
        )


@dataclass
class Node:
    feature_index: int = 0
    feature_value: float = 0.0  # f32
    pred: float = 0.0  # f32
    missing: int = 0  # -1: left, 0: this node's pred, 1: right
    is_leaf: bool = False
    index: int = 0
    left: int = 0
    right: int = 0

    def to_json(self) -> str:
        return (
            f'{{"value":{{"feature_index":{self.feature_index},"feature_value":{json_f32(self.feature_value)},'
            f'"pred":{json_f32(self.pred)},"missing":{self.missing},"is_leaf":{_bool(self.is_leaf)}}},'
            f'"index":{self.index},"left":{self.left},"right":{self.right}}}'
        )


@dataclass
class Tree:
    nodes: list[Node] = field(default_factory=list)
    feature_size: int = 1
    max_depth: int = 2
    min_leaf_size: int = 1
    loss: str = "SquaredError"
    feature_sample_ratio: float = 1.0

    def add(self, parent: int | None, left: bool) -> int:
        """Append a node as gbdt-rs's BinaryTree::add_node does; return its index."""
        index = len(self.nodes)
        self.nodes.append(Node(index=index))
        if parent is not None and index != 0:
            if left:
                self.nodes[parent].left = index
            else:
                self.nodes[parent].right = index
        return index

    def to_json(self) -> str:
        nodes = ",".join(node.to_json() for node in self.nodes)
        return (
            f'{{"tree":{{"tree":[{nodes}]}},"feature_size":{self.feature_size},"max_depth":{self.max_depth},'
            f'"min_leaf_size":{self.min_leaf_size},"loss":"{self.loss}",'
            f'"feature_sample_ratio":{json_f64(self.feature_sample_ratio)}}}'
        )


@dataclass
class Model:
    conf: Config
    trees: list[Tree]
    bias: float  # f32

    def to_json(self) -> str:
        trees = ",".join(tree.to_json() for tree in self.trees)
        return f'{{"conf":{self.conf.to_json()},"trees":[{trees}],"bias":{json_f32(self.bias)}}}'


def _bool(value: bool) -> str:
    return "true" if value else "false"


# --- reading -----------------------------------------------------------------------------------


def _get(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict):
        raise ModelError(f"{where or 'the model'} is not a JSON object")
    if key not in obj:
        raise ModelError(f"missing field `{where + '.' if where else ''}{key}`")
    return obj[key]


def _uint(obj: Any, key: str, where: str, top: int = (1 << 64) - 1) -> int:
    value = _get(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise ModelError(f"`{where}.{key}` must be an integer in 0..{top}")
    return value


def _number(obj: Any, key: str, where: str, single: bool) -> float:
    value = _get(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ModelError(f"`{where + '.' if where else ''}{key}` must be a finite number")
    return to_f32(float(value)) if single else float(value)


def _flag(obj: Any, key: str, where: str) -> bool:
    value = _get(obj, key, where)
    if not isinstance(value, bool):
        raise ModelError(f"`{where}.{key}` must be true or false")
    return value


def _loss(obj: Any, where: str) -> str:
    value = _get(obj, "loss", where)
    if value not in VARIANTS:
        raise ModelError(f"`{where}.loss` is {value!r}, not a gbdt-rs loss")
    assert isinstance(value, str)
    return value


def _node(raw: Any, where: str) -> Node:
    value = _get(raw, "value", where)
    inner = f"{where}.value"
    missing = _get(value, "missing", inner)
    if missing not in (-1, 0, 1) or isinstance(missing, bool):
        raise ModelError(f"`{inner}.missing` must be -1, 0 or 1")
    return Node(
        feature_index=_uint(value, "feature_index", inner),
        feature_value=_number(value, "feature_value", inner, single=True),
        pred=_number(value, "pred", inner, single=True),
        missing=missing,
        is_leaf=_flag(value, "is_leaf", inner),
        index=_uint(raw, "index", where),
        left=_uint(raw, "left", where),
        right=_uint(raw, "right", where),
    )


def _tree(raw: Any, where: str) -> Tree:
    nodes_raw = _get(_get(raw, "tree", where), "tree", f"{where}.tree")
    if not isinstance(nodes_raw, list):
        raise ModelError(f"`{where}.tree.tree` must be a list of nodes")
    nodes = [_node(node, f"{where}.tree.tree[{i}]") for i, node in enumerate(nodes_raw)]
    if not nodes:
        raise ModelError(f"{where} has no nodes")
    for i, node in enumerate(nodes):
        if not node.is_leaf and not (0 < node.left < len(nodes) and 0 < node.right < len(nodes)):
            raise ModelError(f"{where}.tree.tree[{i}] is not a leaf but lacks a valid left or right child")
    return Tree(
        nodes=nodes,
        feature_size=_uint(raw, "feature_size", where),
        max_depth=_uint(raw, "max_depth", where, (1 << 32) - 1),
        min_leaf_size=_uint(raw, "min_leaf_size", where),
        loss=_loss(raw, where),
        feature_sample_ratio=_number(raw, "feature_sample_ratio", where, single=False),
    )


def load_model(data: bytes) -> Model:
    """Parse and check a gbdt-rs model file; raise ModelError saying what is wrong."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelError(f"not JSON: {error}") from None
    conf_raw = _get(raw, "conf", "")
    conf = Config(
        feature_size=_uint(conf_raw, "feature_size", "conf"),
        max_depth=_uint(conf_raw, "max_depth", "conf", (1 << 32) - 1),
        iterations=_uint(conf_raw, "iterations", "conf"),
        shrinkage=_number(conf_raw, "shrinkage", "conf", single=True),
        feature_sample_ratio=_number(conf_raw, "feature_sample_ratio", "conf", single=False),
        data_sample_ratio=_number(conf_raw, "data_sample_ratio", "conf", single=False),
        min_leaf_size=_uint(conf_raw, "min_leaf_size", "conf"),
        loss=_loss(conf_raw, "conf"),
        debug=_flag(conf_raw, "debug", "conf"),
        initial_guess_enabled=_flag(conf_raw, "initial_guess_enabled", "conf"),
        training_optimization_level=_uint(conf_raw, "training_optimization_level", "conf", 255),
    )
    trees_raw = _get(raw, "trees", "")
    if not isinstance(trees_raw, list):
        raise ModelError("`trees` must be a list")
    trees = [_tree(tree, f"trees[{i}]") for i, tree in enumerate(trees_raw)]
    if len(trees) != conf.iterations:
        raise ModelError(f"`conf.iterations` is {conf.iterations} but the model has {len(trees)} trees")
    return Model(conf, trees, _number(raw, "bias", "", single=True))
