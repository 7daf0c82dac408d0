"""Storage keys and queue names shared by management, scheduler and execution (spec/wire.md §7.2)."""

from __future__ import annotations

import uuid

FUNCTION_PREFIX = "function"
INPUT_PREFIX = "input"
OUTPUT_PREFIX = "output"
TASK_PREFIX = "task"
USAGE_PREFIX = "usage"
USER_PREFIX = "user"
STAGED_PREFIX = "staged"

STAGED_TASK_QUEUE = b"staged-task"
"""Queue of StagedTask JSON, filled by InvokeTask, drained by the scheduler."""

CANCEL_QUEUE = b"cancel_queue"
"""Queue of TaskState JSON of Staged/Running tasks whose creator asked to cancel them."""


def user_uuid(user_id: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_DNS, user_id)


def user_key(user_id: str) -> bytes:
    """Key of a user's function lists: ``user-<uuid5(NAMESPACE_DNS, user id)>``."""
    return f"{USER_PREFIX}-{user_uuid(user_id)}".encode()


def usage_key(function_uuid: uuid.UUID) -> bytes:
    return f"{USAGE_PREFIX}-{function_uuid}".encode()
