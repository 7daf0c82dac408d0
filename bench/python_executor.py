"""Python executor: time from ``run()`` to the function's first line, with and without the
worker pool, the cost of a fresh template process, and runs per second of an echo function.

"First line" is the payload's first statement: it reads CLOCK_MONOTONIC, which the sandbox
shares with the executor, and returns it.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from teahouse.executors import Invocation
from teahouse.executors.python import PythonExecutor, SandboxConfig
from teahouse.executors.python._template import Template

FIRST_LINE = b"import time\nSTARTED = time.monotonic()\ndef entrypoint(argv):\n    return repr(STARTED)\n"
ECHO = b"def entrypoint(argv):\n    return argv[1]\n"


def _invocation(payload: bytes, arguments: dict[str, str] | None = None) -> Invocation:
    return Invocation("bench", "bench", payload, arguments or {}, {}, {})


def _ms(values: list[float]) -> tuple[str, str]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:.2f}", f"{p99 * 1000:.2f}"


async def _first_line(executor: PythonExecutor, runs: int, warm: bool) -> list[float]:
    delays = []
    for _ in range(runs):
        if warm:
            await executor.start()  # measure a pool hit, not the refill
        started = time.monotonic()
        result = await executor.run(_invocation(FIRST_LINE))
        delays.append(float(result.return_value) - started)
    return delays


async def _template_starts(config: SandboxConfig, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.monotonic()
        template = await Template.start(config.python, config.preload, config.start_timeout_s)
        times.append(time.monotonic() - started)
        await template.close()
    return times


async def _throughput(executor: PythonExecutor, seconds: float, in_flight: int) -> float:
    done = 0
    deadline = time.monotonic() + seconds

    async def loop() -> None:
        nonlocal done
        while time.monotonic() < deadline:
            result = await executor.run(_invocation(ECHO, {"message": "hi"}))
            assert result.return_value == b"hi"
            done += 1

    started = time.monotonic()
    async with asyncio.TaskGroup() as group:
        for _ in range(in_flight):
            group.create_task(loop())
    return done / (time.monotonic() - started)


async def _main() -> None:
    rows: list[tuple[str, str, str]] = []
    async with PythonExecutor(SandboxConfig(pool_size=2)) as pooled:
        await pooled.start()
        await _first_line(pooled, 5, warm=True)
        hits = await _first_line(pooled, 200, warm=True)
        rows.append(("pool hit (pool of 2, refilled between runs)", *_ms(hits)))
        rate_1 = await _throughput(pooled, 5.0, 1)
        rate_4 = await _throughput(pooled, 5.0, 4)
    async with PythonExecutor(SandboxConfig(pool_size=0)) as cold:
        await _first_line(cold, 5, warm=False)  # the template is started once, here
        forks = await _first_line(cold, 100, warm=False)
        rows.append(("no pool: fork + sandbox a worker per run", *_ms(forks)))
        cold_rate = await _throughput(cold, 5.0, 1)
    template = await _template_starts(SandboxConfig(), 5)
    rows.append(("fresh template process (interpreter + numpy)", *_ms(template)))

    print(f"{'run() -> first line of the function':<48} {'median ms':>10} {'p99 ms':>10}")
    for name, median, p99 in rows:
        print(f"{name:<48} {median:>10} {p99:>10}")
    print()
    print(f"{'echo runs per second':<48} {'runs/s':>10}")
    print(f"{'pool of 2, one run at a time':<48} {rate_1:>10.1f}")
    print(f"{'pool of 2, four runs in flight':<48} {rate_4:>10.1f}")
    print(f"{'no pool, one run at a time':<48} {cold_rate:>10.1f}")


def main() -> None:
    asyncio.run(_main())


if __name__ == "__main__":
    main()
