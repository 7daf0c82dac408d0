"""The worker's seccomp filter: a default-deny allow-list, compiled by libseccomp.

What is allowed is what CPython, glibc and numpy need to compute on memory, run threads and talk
over the already-open pipes. Everything else fails with EPERM: opening any path, sockets, fork,
exec, ptrace, process_vm_*, io_uring, bpf, keyctl, mount, unshare, setns, and so on.

Three details matter (``research/ecosystem.md`` §4):

* ``clone`` is allowed only with ``CLONE_THREAD`` and without any ``CLONE_NEW*`` flag (threads,
  not processes or namespaces), and ``clone3``, whose flags live in memory where the filter
  cannot look, fails with ENOSYS so that glibc falls back to ``clone``. Without that rule
  ``syscall(435, ...)`` through ctypes forks freely.
* ``fcntl`` is limited to the descriptor and status flags: ``F_SETOWN`` would let a worker that
  shares the executor's uid (no root) direct SIGIO, which kills by default, at another process.
* ``kill``/``tgkill`` may only target the worker itself and ``prlimit64`` and
  ``sched_getaffinity`` only pid 0, so a worker cannot signal, inspect or re-limit another process.
* ``ioctl`` fails with ENOTTY, so ``isatty()`` answers False instead of raising.

Syscall names that do not exist on the running architecture are skipped. libseccomp is called
through ctypes directly: the ``pyseccomp`` wrapper runs ``ldconfig`` in a subprocess to find the
library when it is imported, which costs tens of milliseconds per worker.
"""

from __future__ import annotations

import ctypes
import errno
import os

ALLOWED = (
    # memory
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
    # the inherited pipes
    "read", "readv", "write", "writev", "pread64", "lseek", "close", "fstat", "newfstatat",
    # threads and synchronisation
    "futex", "set_robust_list", "rseq", "set_tid_address", "sched_yield", "membarrier",
    # signals
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "restart_syscall",
    # time
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
    # identity and bookkeeping of the process itself
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getresuid",
    "getresgid", "getgroups", "getrusage", "times", "getrlimit", "uname", "getcwd", "getrandom",
    # leaving
    "exit", "exit_group",
)  # fmt: skip

CLONE_THREAD = 0x00010000
# CLONE_NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
CLONE_NEW_ANY = (
    0x00000080 | 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
)
# F_GETFD, F_SETFD, F_GETFL, F_SETFL
FCNTL_ALLOWED = (1, 2, 3, 4)

_ACT_ALLOW = 0x7FFF0000
_CMP_EQ = 4
_CMP_MASKED_EQ = 7


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def _library() -> ctypes.CDLL:
    try:
        return ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError:
        import ctypes.util as ctypes_util  # slow (it may run ldconfig): only if the usual name fails

        found = ctypes_util.find_library("seccomp")
        if found is None:
            raise
        return ctypes.CDLL(found, use_errno=True)


# Loaded when the template imports this module, before any worker exists.
_LIB = _library()
_LIB.seccomp_init.restype = ctypes.c_void_p
_LIB.seccomp_init.argtypes = [ctypes.c_uint32]
_LIB.seccomp_rule_add_array.argtypes = [
    ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp)
]  # fmt: skip
_LIB.seccomp_load.argtypes = [ctypes.c_void_p]
_LIB.seccomp_release.argtypes = [ctypes.c_void_p]
_LIB.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]


class Filter:
    """A libseccomp filter context: add rules, then :meth:`load` it into this process."""

    def __init__(self, default_action: int) -> None:
        self._lib = _LIB
        self._ctx = self._lib.seccomp_init(default_action)
        if not self._ctx:
            raise OSError(errno.ENOMEM, "seccomp_init failed")

    def number(self, name: str) -> int | None:
        """The syscall's number here, or None if this architecture has no such syscall."""
        number = int(self._lib.seccomp_syscall_resolve_name(name.encode()))
        return number if number >= 0 else None

    def add(self, action: int, name: str, *comparisons: tuple[int, int, int, int]) -> None:
        number = self.number(name)
        if number is None:
            return
        array = (_ArgCmp * max(len(comparisons), 1))(*(_ArgCmp(*c) for c in comparisons))
        self._check(self._lib.seccomp_rule_add_array(self._ctx, action, number, len(comparisons), array))

    def load(self) -> None:
        """Install the filter (libseccomp sets no_new_privs first); then free the context."""
        self._check(self._lib.seccomp_load(self._ctx))
        self._lib.seccomp_release(self._ctx)
        self._ctx = None

    @staticmethod
    def _check(result: int) -> None:
        if result < 0:
            raise OSError(-result, os.strerror(-result))


def build(own_pid: int) -> Filter:
    """Build (but do not load) the filter for the process whose pid is ``own_pid``."""
    rules = Filter(_errno_action(errno.EPERM))
    for name in ALLOWED:
        rules.add(_ACT_ALLOW, name)
    rules.add(_ACT_ALLOW, "clone", (0, _CMP_MASKED_EQ, CLONE_THREAD | CLONE_NEW_ANY, CLONE_THREAD))
    for command in FCNTL_ALLOWED:
        rules.add(_ACT_ALLOW, "fcntl", (1, _CMP_EQ, command, 0))
    rules.add(_errno_action(errno.ENOSYS), "clone3")
    rules.add(_errno_action(errno.ENOTTY), "ioctl")
    rules.add(_ACT_ALLOW, "kill", (0, _CMP_EQ, own_pid, 0))
    rules.add(_ACT_ALLOW, "tgkill", (0, _CMP_EQ, own_pid, 0))
    rules.add(_ACT_ALLOW, "prlimit64", (0, _CMP_EQ, 0, 0))
    rules.add(_ACT_ALLOW, "sched_getaffinity", (0, _CMP_EQ, 0, 0))
    return rules
