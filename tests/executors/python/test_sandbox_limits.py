"""Escape attempts through resources: each hits a limit, and the reason names the limit."""

from __future__ import annotations

from pathlib import Path

from teahouse.executors import Limits
from teahouse.executors.python import PythonExecutor

from .conftest import failure, invocation, source


async def test_memory_within_the_limit_is_usable(executor: PythonExecutor) -> None:
    limits = Limits(memory_bytes=64 << 20)
    code = source("def entrypoint(argv):\n    return len(bytearray(48 << 20))\n")
    assert (await executor.run(invocation(code, limits=limits))).return_value == str(48 << 20).encode()


async def test_memory_bomb(executor: PythonExecutor) -> None:
    limits = Limits(wall_time_s=30.0, cpu_time_s=30.0, memory_bytes=64 << 20)
    for body in (
        "    return len(bytearray(1 << 30))",
        "    hoard = []\n    while True:\n        hoard.append(bytearray(1 << 20))",
        "    import numpy\n    return numpy.ones(1 << 28).sum()",
    ):
        failed = await failure(executor, source(f"def entrypoint(argv):\n{body}\n"), limits=limits)
        assert failed.reason == "memory limit exceeded (64 MiB)"


async def test_infinite_loop_hits_the_wall_time_limit(executor: PythonExecutor) -> None:
    limits = Limits(wall_time_s=0.5, cpu_time_s=30.0)
    for body in ("    while True:\n        pass", "    import time\n    time.sleep(3600)"):
        failed = await failure(executor, source(f"def entrypoint(argv):\n{body}\n"), limits=limits)
        assert failed.reason == "time limit exceeded (wall 0.5 s)"


async def test_infinite_loop_hits_the_cpu_time_limit(executor: PythonExecutor) -> None:
    limits = Limits(wall_time_s=30.0, cpu_time_s=0.5)
    code = source(
        """
        import signal
        def entrypoint(argv):
            signal.signal(signal.SIGXCPU, signal.SIG_IGN)
            while True:
                pass
        """
    )
    assert (await failure(executor, code, limits=limits)).reason == "time limit exceeded (cpu 0.5 s)"


async def test_huge_output(executor: PythonExecutor, tmp_path: Path) -> None:
    limits = Limits(output_bytes=1 << 20)
    code = source("def entrypoint(argv):\n    return 'x' * ((1 << 20) + 1)\n")
    assert (await failure(executor, code, limits=limits)).reason == "output limit exceeded (1048576 bytes)"
    out = tmp_path / "out.bin"
    code = source(
        """
        def entrypoint(argv):
            with teaclave_open("out", "wb") as f:
                while True:
                    f.write(b"y" * 100_000)
        """
    )
    failed = await failure(executor, code, limits=limits, outputs={"out": out})
    assert failed.reason == "output limit exceeded (1048576 bytes)"
    assert out.stat().st_size <= 1 << 20


async def test_huge_log_is_truncated_not_fatal(executor: PythonExecutor) -> None:
    code = source("def entrypoint(argv):\n    for i in range(20_000):\n        print('spam' * 10)")
    result = await executor.run(invocation(code, save_log=True))
    assert result.return_value == b""
    assert result.log[-1] == "[output truncated after 65536 bytes]"
