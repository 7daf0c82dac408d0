"""Private task directories: plaintext inputs and outputs live only here, and only while a task runs.

Each task gets a fresh directory (mode 0700) under the node's work root, removed when the task
ends, however it ends. Directories left by a node that was killed are removed when it starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


def prepare_root(root: Path) -> None:
    """Create the work root (0700) and remove what a previous run of this node left behind."""
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    for leftover in root.iterdir():
        log.warning("removing leftover task directory %s", leftover.name)
        _remove(leftover)


@contextlib.contextmanager
def task_dir(root: Path, task_id: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"{task_id}-", dir=root))  # mkdtemp creates it 0700
    try:
        yield path
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
