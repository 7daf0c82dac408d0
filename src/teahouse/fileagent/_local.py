"""Local file operations of the agent: copies that never overwrite, and atomic publication."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from teahouse.fileagent._errors import DestinationExists, FileAgentError, SourceNotFound

CHUNK = 1 << 20


def staging_file(dest: Path) -> Path:
    """A new empty private file beside ``dest``, to be published with :func:`publish`."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name[:100]}.", suffix=".part")
    os.close(fd)
    return Path(tmp)


def publish(tmp: Path, dest: Path, shown_url: str) -> None:
    """Move the complete file ``tmp`` to ``dest``, failing if ``dest`` exists (even in a race)."""
    try:
        try:
            os.link(tmp, dest)
        except FileExistsError:
            raise DestinationExists(shown_url, f"refusing to overwrite existing file {dest}") from None
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            # File systems without hard links: check, then rename (a narrow race remains).
            if dest.exists():
                raise DestinationExists(shown_url, f"refusing to overwrite existing file {dest}") from None
            os.rename(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def copy_new(src: Path, dest: Path, shown_url: str, *, make_parents: bool = False) -> None:
    """Copy ``src`` to a new file ``dest``; the source must exist and the destination must not."""
    if not src.is_file():
        raise SourceNotFound(shown_url, f"file {src} does not exist")
    if dest.exists():
        raise DestinationExists(shown_url, f"refusing to overwrite existing file {dest}")
    if make_parents:
        dest.parent.mkdir(parents=True, exist_ok=True)
    elif not dest.parent.is_dir():
        raise FileAgentError(shown_url, f"directory {dest.parent} does not exist")
    tmp = staging_file(dest)
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
        publish(tmp, dest, shown_url)
    finally:
        tmp.unlink(missing_ok=True)


def write_new(data: bytes, dest: Path, shown_url: str) -> None:
    tmp = staging_file(dest)
    try:
        tmp.write_bytes(data)
        publish(tmp, dest, shown_url)
    finally:
        tmp.unlink(missing_ok=True)
