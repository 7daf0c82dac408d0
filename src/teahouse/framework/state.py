"""State files of running processes (``<home>/run/<process>.json``): readiness and status."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from teahouse.fsutil import write_atomic
from teahouse.layout import Layout


@dataclass
class ProcessState:
    process: str
    pid: int
    status: str  # "starting" | "ready" | "stopping"
    endpoints: dict[str, str] = field(default_factory=dict)
    measurement: dict[str, str] = field(default_factory=dict)
    simulated: bool = True
    started_at: float = field(default_factory=time.time)

    def write(self, layout: Layout) -> None:
        write_atomic(layout.state_file(self.process), json.dumps(asdict(self), indent=2).encode())

    @classmethod
    def read(cls, path: Path) -> ProcessState | None:
        try:
            doc: dict[str, Any] = json.loads(path.read_text())
            return cls(**doc)
        except (OSError, ValueError, TypeError):
            return None

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def remove(layout: Layout, process: str, pid: int) -> None:
    """Remove the state file if it is still ours."""
    path = layout.state_file(process)
    state = ProcessState.read(path)
    if state is not None and state.pid == pid:
        path.unlink(missing_ok=True)


def all_states(layout: Layout) -> list[ProcessState]:
    if not layout.run_dir.is_dir():
        return []
    states = [ProcessState.read(p) for p in sorted(layout.run_dir.glob("*.json"))]
    return [s for s in states if s is not None]
