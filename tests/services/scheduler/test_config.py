from __future__ import annotations

import pytest

from teahouse.config import ConfigError
from teahouse.services.scheduler.config import SchedulerConfig


def test_defaults_are_teaclaves_timeout_and_a_short_grace() -> None:
    config = SchedulerConfig.from_settings({})
    assert config.executor_timeout_s == 30.0 and config.disconnect_grace_s == 2.0


def test_values_come_from_the_scheduler_section() -> None:
    config = SchedulerConfig.from_settings({"scheduler": {"executor_timeout_s": 5, "max_watch_s": 2}})
    assert config.executor_timeout_s == 5.0 and config.max_watch_s == 2.0


@pytest.mark.parametrize(
    "section",
    [
        {"executor_timeout_s": 0},
        {"executor_timeout_s": "30"},
        {"executor_timeout_s": True},
        {"disconnect_grace_s": 40},
        {"max_watch_s": 30},
        {"executor_timeout": 5},
    ],
)
def test_bad_values_are_refused_with_the_key(section: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="scheduler"):
        SchedulerConfig.from_settings({"scheduler": section})
