"""What nodes say and what the scheduler answers (``teaclave_common_proto`` enum values)."""

from __future__ import annotations

import enum


class ExecutorStatus(enum.IntEnum):
    Idle = 0
    Executing = 1


class ExecutorCommand(enum.IntEnum):
    NoAction = 0
    Stop = 1
    NewTask = 2
