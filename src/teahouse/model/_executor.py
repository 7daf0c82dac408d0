"""What execution nodes say to the scheduler and hear back (``teaclave_common_proto`` enums)."""

from __future__ import annotations

import enum


class ExecutorStatus(enum.IntEnum):
    Idle = 0
    Executing = 1


class ExecutorCommand(enum.IntEnum):
    NoAction = 0
    Stop = 1
    NewTask = 2
