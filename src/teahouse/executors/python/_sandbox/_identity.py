"""Who the worker is: an unprivileged uid of its own, an empty root, no ptrace, no orphans."""

from __future__ import annotations

import os
import signal

from . import _libc


def die_with_parent(parent_pid: int) -> None:
    """Get SIGKILL when the executor goes away, and check it has not gone already."""
    _libc.prctl(_libc.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


def empty_root() -> int | None:
    """A descriptor of an empty directory that no longer has a name, or None without root.

    Workers change root into it (``fchdir`` + ``chroot(".")``): nothing can ever be created in
    a removed directory, and there is nothing to clean up if the executor dies.
    """
    if os.geteuid() != 0:
        return None
    path = f"/tmp/teahouse-python-root-{os.getpid()}-{os.urandom(8).hex()}"
    try:
        os.mkdir(path, 0o500)
    except OSError:
        return None  # workers report "chroot" as missing
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    finally:
        os.rmdir(path)


def confine(uid: int | None, gid: int | None, chroot: bool) -> list[str]:
    """Change root to the working directory (see :func:`empty_root`) and drop to ``uid``/``gid``
    when we can; return what could not be done.

    Run by root, ``setresuid`` to a non-zero uid clears every capability, so nothing done later
    (by the function) can undo the chroot, raise a hard rlimit or look at other processes.
    Without root the worker keeps the executor's uid and relies on seccomp and
    ``PR_SET_DUMPABLE``.
    """
    missing: list[str] = []
    if os.geteuid() == 0 and uid is not None and gid is not None:
        # Root without the capabilities (a restricted container) cannot do either: degrade.
        try:
            if not chroot:
                raise PermissionError
            os.chroot(".")
            os.chdir("/")
        except OSError:
            missing.append("chroot")
        try:
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
        except OSError:
            missing.append("uid")
    else:
        missing += ["chroot", "uid"]
    # A change of credentials clears the parent-death signal, so set it (again) now.
    _libc.prctl(_libc.PR_SET_PDEATHSIG, signal.SIGKILL)
    # Not dumpable: no ptrace attach and /proc/<pid>/* owned by root, even for the same uid.
    _libc.prctl(_libc.PR_SET_DUMPABLE, 0)
    return missing
