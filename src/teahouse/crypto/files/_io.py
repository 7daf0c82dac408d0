"""Sources and destinations of the file-crypto functions: paths or binary file objects.

Outputs are staged in a private temporary file and only put in place once complete, so a
failed decryption leaves nothing that could be mistaken for valid plaintext.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

PathOrFile = str | os.PathLike[str] | BinaryIO
CHUNK = 1 << 20


def is_path(target: PathOrFile) -> bool:
    return isinstance(target, str | os.PathLike)


def basename(target: PathOrFile) -> str | None:
    """The file name of a path target; ``None`` for a file object."""
    if isinstance(target, str | os.PathLike):
        return Path(target).name
    return None


@contextlib.contextmanager
def open_source(src: PathOrFile) -> Iterator[BinaryIO]:
    """Yield a readable binary file; a path is opened and closed here, a file object is borrowed."""
    if isinstance(src, str | os.PathLike):
        with open(src, "rb", buffering=CHUNK) as f:
            yield f
    else:
        yield src


def is_seekable(f: BinaryIO) -> bool:
    try:
        return f.seekable()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def staged_output(dst: PathOrFile) -> Iterator[BinaryIO]:
    """Yield a seekable private temporary file that becomes ``dst`` only if the block succeeds.

    For a path, the temporary file sits beside it (mode 0600) and replaces it atomically. For a
    file object, the content is copied into it after success.
    """
    if isinstance(dst, str | os.PathLike):
        path = Path(dst)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".part")
        try:
            with os.fdopen(fd, "w+b", buffering=CHUNK) as f:
                yield f
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    else:
        with tempfile.TemporaryFile("w+b", buffering=CHUNK) as f:
            yield cast(BinaryIO, f)
            f.seek(0)
            shutil.copyfileobj(f, dst, CHUNK)
            dst.flush()


def spooled_copy(src: BinaryIO) -> BinaryIO:
    """A seekable private copy of a non-seekable stream (caller closes it)."""
    f = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    shutil.copyfileobj(src, f, CHUNK)
    f.seek(0)
    return f  # type: ignore[return-value]
