"""The package's public surface is exactly its ``__all__``."""

from __future__ import annotations

import teahouse.executors.wasm as wasm


def test_public_names_match_all() -> None:
    public = {name for name in vars(wasm) if not name.startswith("_")}
    assert public == set(wasm.__all__)
    assert wasm.__all__ == sorted(wasm.__all__)
