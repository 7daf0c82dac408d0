"""The executor's life cycle: pool, concurrency, worker hygiene, recovery, close."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from teahouse.executors import Executor, FunctionFailed, Limits
from teahouse.executors.python import PythonExecutor, SandboxConfig, SandboxError

from .conftest import invocation, payload, source


def test_satisfies_the_executor_interface() -> None:
    executor: Executor = PythonExecutor()
    assert executor.executor_type == "python"


async def test_pool_is_filled_and_refilled(executor: PythonExecutor) -> None:
    await executor.start()
    assert executor._pool.idle == 2
    await executor.run(invocation(payload("echo"), {"message": "x"}))
    await executor.start()  # the background refill brings it back to two
    assert executor._pool.idle == 2


async def test_concurrent_runs_beyond_the_pool(executor: PythonExecutor) -> None:
    code = source("import time\ndef entrypoint(argv):\n    time.sleep(0.2)\n    return argv[1]\n")
    results = await asyncio.gather(*(executor.run(invocation(code, {"n": str(i)})) for i in range(5)))
    assert [r.return_value for r in results] == [str(i).encode() for i in range(5)]


async def test_worker_holds_only_its_pipes(executor: PythonExecutor) -> None:
    code = source(
        """
        import os
        def entrypoint(argv):
            open_fds = []
            for fd in range(64):
                try:
                    os.fstat(fd)
                except OSError:
                    continue
                open_fds.append(fd)
            return repr(open_fds)
        """
    )
    assert (await executor.run(invocation(code))).return_value == b"[0, 1, 2, 3, 4]"


async def test_each_worker_has_its_own_random_state(executor: PythonExecutor) -> None:
    code = source(
        """
        import random, numpy
        def entrypoint(argv):
            return repr((random.random(), numpy.random.random()))
        """
    )
    first, second = await asyncio.gather(executor.run(invocation(code)), executor.run(invocation(code)))
    a, b = eval(first.return_value), eval(second.return_value)
    assert a[0] != b[0] and a[1] != b[1]


async def test_template_is_single_threaded_and_reports_isolation(executor: PythonExecutor) -> None:
    await executor.start()
    assert executor._template is not None
    assert executor._template.ready["threads"] == 1
    assert executor.isolation["namespaces"] == ["net", "mount", "ipc", "uts", "pid"]
    assert executor.isolation["missing"] == []


async def test_a_dead_template_is_replaced() -> None:
    async with PythonExecutor(SandboxConfig(pool_size=0)) as python:
        await python.run(invocation(payload("echo"), {"message": "one"}))
        template = python._template
        assert template is not None
        os.kill(template.pid, signal.SIGKILL)
        while template.alive:
            await asyncio.sleep(0.01)
        result = await python.run(invocation(payload("echo"), {"message": "two"}))
        assert result.return_value == b"two"
        assert python._template is not template


async def test_a_template_dying_under_a_run_is_a_sandbox_error() -> None:
    async with PythonExecutor(SandboxConfig(pool_size=0)) as python:
        code = source("import time\ndef entrypoint(argv):\n    time.sleep(30)\n")
        run = asyncio.ensure_future(python.run(invocation(code)))
        while python._template is None or not python._template._workers:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        os.kill(python._template.pid, signal.SIGKILL)
        with pytest.raises(SandboxError, match="failed while the function ran"):
            await run


async def test_no_limits_at_all(executor: PythonExecutor) -> None:
    limits = Limits(wall_time_s=None, cpu_time_s=None, memory_bytes=None, output_bytes=None)
    result = await executor.run(invocation(payload("echo"), {"message": "free"}, limits=limits))
    assert result.return_value == b"free"


async def test_a_worker_killed_from_outside_fails_its_task() -> None:
    async with PythonExecutor(SandboxConfig(pool_size=0)) as python:
        code = source("import time\ndef entrypoint(argv):\n    time.sleep(30)\n")
        run = asyncio.ensure_future(python.run(invocation(code)))
        while python._template is None or not python._template._workers:
            await asyncio.sleep(0.01)
        (pid,) = python._template._workers
        await asyncio.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(FunctionFailed) as failed:
            await run
        assert failed.value.reason == "function was killed by SIGKILL"


async def test_close_kills_every_worker_and_refuses_new_runs() -> None:
    python = PythonExecutor(SandboxConfig(pool_size=2))
    await python.start()
    assert python._template is not None
    workers = list(python._template._workers)
    template = python._template.pid
    await python.close()
    for pid in [*workers, template]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(SandboxError):
        await python.run(invocation(payload("echo"), {"message": "x"}))
    await python.close()  # idempotent


@pytest.mark.parametrize("python", ["/nonexistent/python3", "/bin/false"])
async def test_a_template_that_cannot_start_is_a_sandbox_error(python: str) -> None:
    async with PythonExecutor(SandboxConfig(pool_size=0, python=python)) as cold:
        with pytest.raises(SandboxError):
            await cold.run(invocation(payload("echo"), {"message": "x"}))
    async with PythonExecutor(SandboxConfig(pool_size=1, python=python)) as pooled:
        with pytest.raises(SandboxError):
            await pooled.start()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
async def test_without_capabilities_the_sandbox_degrades_but_holds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Root without capabilities (a restricted container): no namespaces, chroot or uid change."""
    wrapper = tmp_path / "python-without-capabilities"
    wrapper.write_text(f'#!/bin/sh\nexec setpriv --bounding-set -all --inh-caps -all {sys.executable} "$@"\n')
    wrapper.chmod(0o755)
    code = source(
        """
        import ctypes, os, threading
        libc = ctypes.CDLL(None, use_errno=True)
        def entrypoint(argv):
            thread = threading.Thread(target=print)
            thread.start()
            thread.join()
            opened = libc.open(b"/etc/passwd", 0), ctypes.get_errno()
            forked = libc.fork(), ctypes.get_errno()
            return repr((os.getuid(), opened, forked))
        """
    )
    with caplog.at_level(logging.WARNING, logger="teahouse.executors.python"):
        async with PythonExecutor(SandboxConfig(pool_size=0, python=str(wrapper))) as python:
            result = await python.run(invocation(code))
            assert python.isolation["namespaces"] == []
    assert eval(result.return_value) == (0, (-1, 1), (-1, 1))
    assert "not available here: net, mount, ipc, uts, pid, chroot, uid" in caplog.text


def test_missing_isolation_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    python = PythonExecutor()
    with caplog.at_level(logging.INFO, logger="teahouse.executors.python"):
        python._note_isolation({"namespaces": ["ipc"], "missing": ["net", "uid"], "uid": 1000})
    assert "python sandbox: namespaces ipc, uid 1000" in caplog.text
    assert "not available here: net, uid" in caplog.text
