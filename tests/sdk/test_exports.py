"""The public surface of ``teahouse.sdk`` is exactly its sorted ``__all__``."""

from __future__ import annotations

import teahouse.sdk as sdk
from teahouse.errors import TeahouseError


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted_and_matches_the_namespace() -> None:
    public = {name for name in vars(sdk) if not name.startswith("_")}
    assert sorted(sdk.__all__, key=_isort_key) == list(sdk.__all__)
    assert set(sdk.__all__) == public


def test_every_error_is_an_sdk_error_with_a_status() -> None:
    errors = [obj for obj in map(lambda n: getattr(sdk, n), sdk.__all__) if isinstance(obj, type)]
    errors = [cls for cls in errors if issubclass(cls, BaseException)]
    assert len(errors) >= 14
    for cls in errors:
        assert issubclass(cls, sdk.SdkError) and issubclass(cls, TeahouseError), cls
        assert isinstance(cls.code.value, int), cls
