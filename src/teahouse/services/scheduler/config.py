"""The scheduler's settings: section ``[scheduler]`` of ``teahouse.toml`` (all optional).

::

    [scheduler]
    executor_timeout_s = 30.0   # a node silent this long is dead (Teaclave's EXECUTOR_TIMEOUT)
    disconnect_grace_s = 2.0    # a Teahouse node that does not call again within this is gone
    max_watch_s = 10.0          # longest a Watch is held before NoAction
    check_interval_s = 0.2      # how often node liveness is checked (in memory)
    cancel_wait_s = 30.0        # length of one long poll on the cancel queue
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from teahouse.config import ConfigError

SECTION = "scheduler"


@dataclass(frozen=True)
class SchedulerConfig:
    executor_timeout_s: float = 30.0
    disconnect_grace_s: float = 2.0
    max_watch_s: float = 10.0
    check_interval_s: float = 0.2
    cancel_wait_s: float = 30.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(f"{SECTION}.{f.name} must be a positive number of seconds, got {value!r}")
        if self.disconnect_grace_s > self.executor_timeout_s:
            raise ConfigError(f"{SECTION}.disconnect_grace_s must not exceed executor_timeout_s")
        if self.max_watch_s >= self.executor_timeout_s:
            raise ConfigError(f"{SECTION}.max_watch_s must be shorter than executor_timeout_s")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SchedulerConfig:
        """Build from the whole settings document (``Config.raw``); unknown keys are refused."""
        section = settings.get(SECTION, {})
        if not isinstance(section, Mapping):
            raise ConfigError(f"[{SECTION}] must be a table")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(f"[{SECTION}]: unknown keys {unknown} (known: {sorted(known)})")
        return cls(
            **{
                k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for k, v in section.items()
            }
        )
