"""An execution node's settings: section ``[execution]`` of ``teahouse.toml`` (all optional).

::

    [execution]
    nodes = 2                   # how many nodes `teahouse up` starts (read by the launcher)
    work_dir = ""               # task directories; default <home>/data/execution/<node name>
    executors = ["builtin", "python", "wamr"]   # started ahead of the first task
    watch_timeout_s = 10.0      # length of one long poll on the scheduler
    wall_time_s = 300.0         # per-task limits (0 = no limit)
    cpu_time_s = 300.0
    memory_mb = 1024
    python_pool_size = 1        # sandboxed Python workers kept ready

Other keys of the section belong to the launcher and are left alone here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teahouse.config import ConfigError
from teahouse.executors import Limits

SECTION = "execution"
EXECUTOR_KINDS = ("builtin", "python", "wamr")
_KEYS = frozenset(
    {
        "nodes",
        "work_dir",
        "executors",
        "watch_timeout_s",
        "wall_time_s",
        "cpu_time_s",
        "memory_mb",
        "python_pool_size",
    }
)


@dataclass(frozen=True)
class ExecutionConfig:
    work_dir: Path
    executors: tuple[str, ...] = EXECUTOR_KINDS
    watch_timeout_s: float = 10.0
    limits: Limits = field(default_factory=Limits)
    python_pool_size: int = 1

    def __post_init__(self) -> None:
        unknown = sorted(set(self.executors) - set(EXECUTOR_KINDS))
        if unknown:
            raise ConfigError(
                f"{SECTION}.executors: unknown executors {unknown} (known: {list(EXECUTOR_KINDS)})"
            )
        if self.watch_timeout_s <= 0:
            raise ConfigError(f"{SECTION}.watch_timeout_s must be positive")
        if self.python_pool_size < 0:
            raise ConfigError(f"{SECTION}.python_pool_size must not be negative")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], default_work_dir: Path) -> ExecutionConfig:
        section = settings.get(SECTION, {})
        if not isinstance(section, Mapping):
            raise ConfigError(f"[{SECTION}] must be a table")
        executors = section.get("executors", list(EXECUTOR_KINDS))
        if not isinstance(executors, list) or not all(isinstance(e, str) for e in executors):
            raise ConfigError(f"{SECTION}.executors must be a list of executor names")
        memory = _number(section, "memory_mb", 1024)
        return cls(
            work_dir=Path(str(section.get("work_dir") or default_work_dir)),
            executors=tuple(executors),
            watch_timeout_s=_number(section, "watch_timeout_s", 10.0) or 10.0,
            limits=Limits(
                wall_time_s=_number(section, "wall_time_s", 300.0) or None,
                cpu_time_s=_number(section, "cpu_time_s", 300.0) or None,
                memory_bytes=int(memory * (1 << 20)) or None,
            ),
            python_pool_size=int(_number(section, "python_pool_size", 1)),
        )


def _number(section: Mapping[str, Any], key: str, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{SECTION}.{key} must be a non-negative number, got {value!r}")
    return float(value)
