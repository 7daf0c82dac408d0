"""Clear error messages for what the sandbox forbids. Not a security boundary.

The seccomp filter is the boundary: code can reach any system call through ``ctypes``, and the
filter refuses it with EPERM. Most functions fail through ordinary Python APIs first, though, and
"Operation not permitted" from deep inside ``socket`` or ``subprocess`` is a poor failure
reason. An audit hook turns those attempts into errors that say what is not allowed, and an
import hook says which modules are missing (only modules loaded before the filter can be
imported, since the worker cannot open files).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

_FORBIDDEN = {
    "open": "opening files is not permitted in the sandbox (use teaclave_open for task files)",
    "socket.__new__": "network access is not permitted in the sandbox",
    "os.fork": "creating processes is not permitted in the sandbox",
    "os.forkpty": "creating processes is not permitted in the sandbox",
    "os.exec": "running programs is not permitted in the sandbox",
    "os.posix_spawn": "running programs is not permitted in the sandbox",
    "os.spawn": "running programs is not permitted in the sandbox",
    "os.system": "running programs is not permitted in the sandbox",
    "subprocess.Popen": "running programs is not permitted in the sandbox",
    "pty.spawn": "running programs is not permitted in the sandbox",
}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    message = _FORBIDDEN.get(event)
    if message is not None:
        raise PermissionError(message)


class _ImportGuard:
    """A meta path finder placed first: anything not already loaded is unavailable."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name in sys.builtin_module_names:
            return None
        raise ModuleNotFoundError(f"No module named {name!r} (not available in the sandbox)", name=name)


def install() -> None:
    """Install both hooks; audit hooks cannot be removed afterwards."""
    sys.meta_path.insert(0, _ImportGuard())  # type: ignore[arg-type]
    sys.addaudithook(_audit)
