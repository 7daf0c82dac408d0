"""One bash process that runs commands one at a time, as a user's terminal does.

Variables, functions and ``cd`` carry over from one command to the next. Each command reads
/dev/null (it can never eat the next command or wait at a prompt) and its stderr goes with its
stdout. After each command the shell prints a marker line with the exit status.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: the command did not finish in time, or the shell exited
    output: str


class Shell:
    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self._marker = f"__tutorial_step_done_{uuid.uuid4().hex}__"
        self._proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=dict(env),
            start_new_session=True,
        )
        self._selector = selectors.DefaultSelector()
        assert self._proc.stdout is not None
        self._selector.register(self._proc.stdout, selectors.EVENT_READ)
        self._pending = b""

    def run(self, command: str, timeout: float) -> Outcome:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        script = f"{{\n{command}\n}} </dev/null 2>&1\nprintf '\\n{self._marker} %d\\n' \"$?\"\n"
        try:
            self._proc.stdin.write(script.encode())
            self._proc.stdin.flush()
        except BrokenPipeError:
            return Outcome(None, "(the shell has exited)")
        deadline = time.monotonic() + timeout
        marker = f"\n{self._marker} ".encode()
        while True:
            found = self._pending.find(marker)
            if found >= 0:
                end = self._pending.find(b"\n", found + len(marker))
                if end >= 0:
                    output = self._pending[:found].decode(errors="replace")
                    status = int(self._pending[found + len(marker) : end])
                    self._pending = self._pending[end + 1 :]
                    return Outcome(status, output)
            left = deadline - time.monotonic()
            if left <= 0:
                return Outcome(None, self._pending.decode(errors="replace"))
            if not self._selector.select(left):
                continue
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                return Outcome(None, self._pending.decode(errors="replace") + "\n(the shell has exited)")
            self._pending += chunk

    def close(self) -> None:
        self._selector.close()
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Shell:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
