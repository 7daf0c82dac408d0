"""Teaclave's argv for MesaPy and WebAssembly functions (spec/behaviour.md §5.2), shared by both executors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def flatten_arguments(arguments: Mapping[str, Any]) -> list[str]:
    """Flatten a task's arguments into ``[key, value, key, value, ...]``.

    Keys come in byte-lexicographic order of their UTF-8 form (the same as code point order,
    so a plain sort does it). String values are passed verbatim, any other JSON value as
    compact JSON: ``3``, ``true``, ``1.0``, ``[1,2]``, ``{"a":1}``.
    """
    argv: list[str] = []
    for key in sorted(arguments):
        value = arguments[key]
        argv.append(key)
        if isinstance(value, str):
            argv.append(value)
        else:
            argv.append(json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True))
    return argv
