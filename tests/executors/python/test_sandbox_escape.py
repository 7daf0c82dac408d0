"""Attempts to leave the sandbox: each is contained and the task fails with a clear reason.

Most attempts come twice: through the ordinary Python API (stopped with a readable message by
the audit hook) and through raw system calls via ctypes (stopped by the seccomp filter, which
is the actual boundary).
"""

from __future__ import annotations

import asyncio
import os
import platform
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.executors.python import DEFAULT_PRELOAD, PythonExecutor, SandboxConfig

from .conftest import failure, invocation, source

EPERM = "PermissionError: [Errno 1] Operation not permitted"

# Raw libc calls for the payloads: raise OSError (EPERM -> PermissionError) when a call fails.
RAW = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)

def check(result):
    if result == -1:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result
"""


@pytest.fixture(scope="module")
async def executor() -> AsyncIterator[PythonExecutor]:
    """A sandbox with socket and subprocess loaded: the attempts must fail all the same."""
    async with PythonExecutor(SandboxConfig(preload=(*DEFAULT_PRELOAD, "socket", "subprocess"))) as python:
        await python.start()
        yield python


def raw(body: str) -> bytes:
    return source(RAW) + source(body)


# Network


async def test_socket(executor: PythonExecutor) -> None:
    code = source("import socket\ndef entrypoint(argv):\n    socket.socket().connect(('1.1.1.1', 443))\n")
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: network access is not permitted in the sandbox"


async def test_raw_socket_and_socketpair(executor: PythonExecutor) -> None:
    code = raw(
        """
        def entrypoint(argv):
            pair = (ctypes.c_int * 2)()
            assert libc.socketpair(1, 1, 0, pair) == -1
            check(libc.socket(2, 1, 0))
        """
    )
    assert (await failure(executor, code)).reason == EPERM


# File system


async def test_read_etc_passwd(executor: PythonExecutor) -> None:
    code = source("def entrypoint(argv):\n    return open('/etc/passwd').read()\n")
    failed = await failure(executor, code)
    assert failed.reason == (
        "PermissionError: opening files is not permitted in the sandbox (use teaclave_open for task files)"
    )


async def test_raw_open_etc_passwd(executor: PythonExecutor) -> None:
    code = raw("def entrypoint(argv):\n    check(libc.open(b'/etc/passwd', os.O_RDONLY))\n")
    assert (await failure(executor, code)).reason == EPERM


async def test_the_file_system_is_empty(executor: PythonExecutor) -> None:
    code = source(
        """
        import os
        def entrypoint(argv):
            try:
                os.stat("/etc/passwd")
            except FileNotFoundError:
                pass
            os.listdir("/")
        """
    )
    failed = await failure(executor, code)
    assert failed.reason.startswith("PermissionError")


async def test_platform_secret_file(executor: PythonExecutor, tmp_path: Path) -> None:
    secret = tmp_path / "platform-home" / "keys" / "sealing.key"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"TOP-SECRET-SEALING-KEY")
    for code in (
        source(f"def entrypoint(argv):\n    return open({str(secret)!r}, 'rb').read()\n"),
        raw(f"def entrypoint(argv):\n    check(libc.openat(-100, {str(secret).encode()!r}, 0))\n"),
        source(f"def entrypoint(argv):\n    return teaclave_open({str(secret)!r}, 'rb').read()\n"),
    ):
        failed = await failure(executor, code)
        assert failed.reason.startswith(("PermissionError", "RuntimeError: fileio_init"))
        assert "TOP-SECRET" not in "\n".join(failed.log)


async def test_write_outside_the_task(executor: PythonExecutor, tmp_path: Path) -> None:
    target = tmp_path / "escaped.txt"
    code = source(f"def entrypoint(argv):\n    open({str(target)!r}, 'w').write('out')\n")
    assert (await failure(executor, code)).reason.startswith("PermissionError: opening files")
    flags = os.O_WRONLY | os.O_CREAT
    code = raw(f"def entrypoint(argv):\n    check(libc.open({str(target).encode()!r}, {flags}, 0o644))\n")
    assert (await failure(executor, code)).reason == EPERM
    assert not target.exists()


# Processes


async def test_os_fork(executor: PythonExecutor) -> None:
    code = source("import os\ndef entrypoint(argv):\n    os.fork()\n")
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: creating processes is not permitted in the sandbox"


async def test_os_execv(executor: PythonExecutor) -> None:
    code = source("import os\ndef entrypoint(argv):\n    os.execv('/bin/sh', ['sh', '-c', 'id'])\n")
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: running programs is not permitted in the sandbox"


async def test_raw_execve(executor: PythonExecutor) -> None:
    code = raw(
        """
        def entrypoint(argv):
            args = (ctypes.c_char_p * 2)(b"/bin/sh", None)
            check(libc.execve(b"/bin/sh", args, None))
        """
    )
    assert (await failure(executor, code)).reason == EPERM


async def test_subprocess(executor: PythonExecutor) -> None:
    code = source("import subprocess\ndef entrypoint(argv):\n    subprocess.run(['id'])\n")
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: running programs is not permitted in the sandbox"
    code = source("import os\ndef entrypoint(argv):\n    os.posix_spawn('/bin/sh', ['sh'], {})\n")
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: running programs is not permitted in the sandbox"


async def test_raw_clone3(executor: PythonExecutor) -> None:
    code = raw(
        """
        def entrypoint(argv):
            args = (ctypes.c_uint64 * 11)()
            args[4] = 17  # exit_signal = SIGCHLD: a plain fork
            pid = check(libc.syscall(435, ctypes.byref(args), ctypes.sizeof(args)))
            if pid == 0:
                os._exit(0)
            return "forked %d" % pid
        """
    )
    assert (await failure(executor, code)).reason == "OSError: [Errno 38] Function not implemented"


async def test_fork_bomb(executor: PythonExecutor) -> None:
    code = source("import os\ndef entrypoint(argv):\n    while True:\n        os.fork()\n")
    assert (await failure(executor, code)).reason.startswith("PermissionError: creating processes")
    code = raw(
        """
        def entrypoint(argv):
            forked = 0
            for _ in range(1000):
                pid = libc.fork()
                if pid == 0:
                    os._exit(0)
                if pid > 0:
                    forked += 1
            if forked:
                return "forked %d times" % forked
            check(-1)
        """
    )
    assert (await failure(executor, code)).reason == EPERM


async def test_thread_bomb_is_capped(executor: PythonExecutor) -> None:
    code = source(
        """
        import threading, time
        def entrypoint(argv):
            threads = []
            while True:
                thread = threading.Thread(target=time.sleep, args=(5,), daemon=True)
                thread.start()
                threads.append(thread)
                print(len(threads))
        """
    )
    failed = await failure(executor, code, save_log=True)
    assert failed.reason == "RuntimeError: can't start new thread"
    assert int(failed.log[-1 - failed.log[::-1].index("Traceback (most recent call last):") - 1]) < 16


# Other tasks, the executor's process


async def test_another_tasks_files(executor: PythonExecutor, tmp_path: Path) -> None:
    secret = tmp_path / "a-input.txt"
    secret.write_bytes(b"task A's private data")
    holder = source(
        """
        import time
        def entrypoint(argv):
            with teaclave_open("private", "rb") as f:
                time.sleep(1.0)
                return f.read()
        """
    )
    thief = source(
        f"""
        def entrypoint(argv):
            for attempt in (lambda: teaclave_open("private", "rb"), lambda: open({str(secret)!r}, "rb")):
                try:
                    return attempt().read()
                except (RuntimeError, PermissionError) as error:
                    print(type(error).__name__, error)
            raise PermissionError("nothing readable")
        """
    )
    task_a = executor.run(invocation(holder, inputs={"private": secret}, task_id="a"))
    task_b = failure(executor, thief, save_log=True, task_id="b")
    result_a, failed_b = await asyncio.gather(task_a, task_b)
    assert result_a.return_value == b"task A's private data"
    assert failed_b.reason == "PermissionError: nothing readable"
    assert failed_b.log[:2] == [
        "RuntimeError fileio_init: teaclave_ffi_error",
        "PermissionError opening files is not permitted in the sandbox (use teaclave_open for task files)",
    ]


async def test_parent_memory_and_environment_through_proc(executor: PythonExecutor) -> None:
    parent = os.getpid()
    for path in (f"/proc/{parent}/mem", f"/proc/{parent}/environ", "/proc/self/environ", "/proc/1/mem"):
        code = source(f"def entrypoint(argv):\n    return open({path!r}, 'rb').read(100)\n")
        assert (await failure(executor, code)).reason.startswith("PermissionError: opening files")
        code = raw(f"def entrypoint(argv):\n    check(libc.open({path.encode()!r}, 0))\n")
        assert (await failure(executor, code)).reason == EPERM


async def test_no_signals_through_file_ownership(executor: PythonExecutor) -> None:
    code = raw(
        f"""
        def entrypoint(argv):
            flags = check(libc.fcntl(4, 3))  # F_GETFL is fine
            check(libc.fcntl(4, 4, flags | os.O_ASYNC))  # so is F_SETFL
            check(libc.fcntl(4, 8, {os.getpid()}))  # F_SETOWN is not
        """
    )
    assert (await failure(executor, code)).reason == EPERM


@pytest.mark.skipif(platform.machine() != "x86_64", reason="uses the x86-64 number of clone")
async def test_no_namespaces_through_clone(executor: PythonExecutor) -> None:
    code = raw(
        """
        def entrypoint(argv):
            # CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWNET, no stack: refused before use
            check(libc.syscall(56, 0x00010000 | 0x00000800 | 0x00000100 | 0x40000000, None, None, None, 0))
        """
    )
    assert (await failure(executor, code)).reason == EPERM


async def test_parent_memory_through_syscalls(executor: PythonExecutor) -> None:
    parent = os.getpid()
    code = raw(
        f"""
        class IOVec(ctypes.Structure):
            _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

        def entrypoint(argv):
            buffer = ctypes.create_string_buffer(64)
            local, remote = IOVec(ctypes.addressof(buffer), 64), IOVec(0x400000, 64)
            errors = []
            for call in (
                lambda: libc.process_vm_readv({parent}, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0),
                lambda: libc.ptrace(16, {parent}, None, None),  # PTRACE_ATTACH
                lambda: libc.kill({parent}, 9),
                lambda: libc.kill(-1, 9),
            ):
                if call() != -1:
                    return "escaped"
                errors.append(ctypes.get_errno())
            raise PermissionError(str(errors))
        """
    )
    assert (await failure(executor, code)).reason == "PermissionError: [1, 1, 1, 1]"


async def test_scrubbed_environment_and_identity(
    executor: PythonExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAHOUSE_TEST_SECRET", "do-not-leak")
    code = source(
        """
        import os
        def entrypoint(argv):
            ids = (os.getuid(), os.getgid(), os.getpid(), os.getppid(), os.uname().nodename)
            return repr((sorted(os.environ), *ids))
        """
    )
    env, uid, gid, pid, ppid, hostname = eval((await executor.run(invocation(code))).return_value)
    assert "TEAHOUSE_TEST_SECRET" not in env
    assert set(env) <= {
        "LC_ALL",
        "LC_CTYPE",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "MALLOC_ARENA_MAX",
    }
    assert uid == gid and uid >= executor.config.uid_base
    assert (pid, ppid) == (1, 0)  # init of its own PID namespace
    assert hostname == "sandbox"  # and of its own UTS namespace


async def test_privileges_cannot_be_regained(executor: PythonExecutor) -> None:
    code = source(
        """
        import os, resource
        def entrypoint(argv):
            errors = []
            for attempt in (
                lambda: os.setuid(0),
                lambda: os.chroot("/tmp"),
                lambda: resource.setrlimit(resource.RLIMIT_AS, (-1, -1)),
            ):
                try:
                    attempt()
                except (PermissionError, ValueError) as error:
                    errors.append(type(error).__name__)
                else:
                    return "escaped"
            raise PermissionError(" ".join(errors))
        """
    )
    failed = await failure(executor, code)
    assert failed.reason == "PermissionError: PermissionError PermissionError ValueError"


async def test_forged_frames_break_only_the_task(executor: PythonExecutor) -> None:
    code = source("import os, time\ndef entrypoint(argv):\n    os.write(4, b'\\xff' * 9)\n    time.sleep(5)")
    failed = await failure(executor, code)
    assert failed.reason == "function broke the executor protocol"
    result = await executor.run(invocation(source("def entrypoint(argv):\n    return 'fine'\n")))
    assert result.return_value == b"fine"
