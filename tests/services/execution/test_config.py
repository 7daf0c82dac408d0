from __future__ import annotations

from pathlib import Path

import pytest

from teahouse.config import ConfigError
from teahouse.services.execution.config import ExecutionConfig


def test_defaults(tmp_path: Path) -> None:
    config = ExecutionConfig.from_settings({"execution": {"nodes": 2}}, tmp_path)
    assert config.work_dir == tmp_path and config.executors == ("builtin", "python", "wamr")
    assert config.limits.wall_time_s == 300.0 and config.limits.memory_bytes == 1 << 30


def test_limits_zero_means_none(tmp_path: Path) -> None:
    config = ExecutionConfig.from_settings({"execution": {"wall_time_s": 0, "memory_mb": 64}}, tmp_path)
    assert config.limits.wall_time_s is None and config.limits.memory_bytes == 64 << 20


@pytest.mark.parametrize(
    "section",
    [{"executors": ["jvm"]}, {"executors": "builtin"}, {"wall_time_s": -1}, {"memory_mb": "1G"}],
)
def test_bad_settings_are_refused(tmp_path: Path, section: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="execution"):
        ExecutionConfig.from_settings({"execution": section}, tmp_path)
