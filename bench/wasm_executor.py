"""WebAssembly executor: compile-cache effect, per-run overhead, interruption cost, and speed
of a CPU-bound module against the same C compiled natively.

Needs clang with the wasm32 target (``make system-deps``).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import wasmtime

from teahouse.executors import Invocation, Limits
from teahouse.executors.wasm import WasmExecutor
from teahouse.executors.wasm._engine import new_engine

WASM_FLAGS = [
    "--target=wasm32",
    "-nostdlib",
    "-Wl,--export-all",
    "-Wl,--allow-undefined",
    "-Wl,--no-entry",
    "-O2",
]

SMALL = """
static int num(const char *s) {
    int n = 0;
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return n;
}
int entrypoint(int argc, char **argv) { return argc < 4 ? -1 : num(argv[1]) + num(argv[3]); }
"""

# Total Collatz steps of 1..n: integer work with data-dependent branches, nothing to fold away.
CPU = """
static int num(const char *s) {
    int n = 0;
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return n;
}
static unsigned long long collatz_steps(unsigned n) {
    unsigned long long total = 0;
    for (unsigned i = 1; i <= n; i++) {
        unsigned long long x = i;
        while (x != 1) { x = (x & 1) ? 3 * x + 1 : x >> 1; total++; }
    }
    return total;
}
"""
CPU_WASM = CPU + "int entrypoint(int argc, char **argv) { return (int)collatz_steps(num(argv[1])); }\n"
CPU_NATIVE = (
    "#include <stdio.h>\n#include <time.h>\n"
    + CPU
    + """
int main(int argc, char **argv) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int r = (int)collatz_steps(num(argv[1]));
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%d %ld\\n", r, (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
    return 0;
}
"""
)
CPU_N = 2_000_000
REPEATS = 30


def build(clang: str, work: Path, name: str, source: str, flags: list[str]) -> Path:
    src = work / f"{name}.c"
    src.write_text(source)
    out = work / name
    subprocess.run([clang, *flags, str(src), "-o", str(out)], check=True, capture_output=True)
    return out


def invocation(payload: bytes, arguments: dict[str, str]) -> Invocation:
    return Invocation("bench", "bench", payload, arguments, {}, {}, Limits(wall_time_s=600, cpu_time_s=600))


async def cache_effect(small: bytes) -> tuple[float, float]:
    executor = WasmExecutor()
    start = time.perf_counter()
    await executor.run(invocation(small, {"a": "1", "b": "2"}))
    first = time.perf_counter() - start
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        await executor.run(invocation(small, {"a": "1", "b": "2"}))
        times.append(time.perf_counter() - start)
    await executor.close()
    return first, statistics.median(times)


def run_overhead(small: bytes) -> dict[str, float]:
    """Median cost of each step a cached run repeats, in milliseconds."""
    artifact = wasmtime.Module(new_engine(), small).serialize()
    steps: dict[str, list[float]] = {"engine": [], "deserialize": [], "store + instantiate": [], "call": []}
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        engine = new_engine()
        t1 = time.perf_counter()
        module = wasmtime.Module.deserialize(engine, artifact)
        t2 = time.perf_counter()
        store = wasmtime.Store(engine)
        store.set_epoch_deadline(1)
        instance = wasmtime.Linker(engine).instantiate(store, module)
        entry = instance.exports(store)["entrypoint"]
        t3 = time.perf_counter()
        assert isinstance(entry, wasmtime.Func)
        entry(store, 0, 0)
        t4 = time.perf_counter()
        for key, value in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            steps[key].append(value * 1000)
    return {key: statistics.median(values) for key, values in steps.items()}


def interruption_cost(cpu: bytes) -> dict[str, float]:
    """Best-of-3 seconds for the CPU-bound call: no interruption, epoch checks, fuel metering."""
    results: dict[str, float] = {}
    for mode in ("none", "epoch", "fuel"):
        config = wasmtime.Config()
        if mode == "epoch":
            config.epoch_interruption = True
        if mode == "fuel":
            config.consume_fuel = True
        engine = wasmtime.Engine(config)
        module = wasmtime.Module(engine, cpu)
        store = wasmtime.Store(engine)
        if mode == "epoch":
            store.set_epoch_deadline(1)
        if mode == "fuel":
            store.set_fuel(1 << 62)
        instance = wasmtime.Linker(engine).instantiate(store, module)
        exports = instance.exports(store)
        memory, entry = exports["memory"], exports["entrypoint"]
        assert isinstance(memory, wasmtime.Memory) and isinstance(entry, wasmtime.Func)
        base = memory.grow(store, 1) * 65536
        memory.write(store, (base + 8).to_bytes(4, "little") * 2 + f"{CPU_N}\0".encode(), base)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            entry(store, 2, base)
            best = min(best, time.perf_counter() - start)
        results[mode] = best
    return results


async def wasm_cpu(cpu: bytes) -> float:
    executor = WasmExecutor()
    await executor.run(invocation(cpu, {"n": "1"}))  # compile outside the measurement
    start = time.perf_counter()
    await executor.run(invocation(cpu, {"n": str(CPU_N)}))
    elapsed = time.perf_counter() - start
    await executor.close()
    return elapsed


def native_cpu(binary: Path) -> float:
    done = subprocess.run([str(binary), str(CPU_N)], check=True, capture_output=True, text=True)
    return int(done.stdout.split()[1]) / 1e9


def main() -> None:
    clang = shutil.which("clang") or shutil.which("clang-14")
    if clang is None:
        print("clang is not installed: skipped (make system-deps)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = build(clang, work, "small.wasm", SMALL, WASM_FLAGS).read_bytes()
        cpu = build(clang, work, "cpu.wasm", CPU_WASM, WASM_FLAGS).read_bytes()
        native = build(clang, work, "cpu_native", CPU_NATIVE, ["-O2"])
        first, repeated = asyncio.run(cache_effect(small))
        overhead = run_overhead(small)
        interruption = interruption_cost(cpu)
        wasm = asyncio.run(wasm_cpu(cpu))
        native_s = min(native_cpu(native) for _ in range(3))

    print(f"small module ({len(small)} bytes) through WasmExecutor.run:")
    print(f"  first run (compiles)         {first * 1000:8.2f} ms")
    print(f"  repeated run, median of {REPEATS}  {repeated * 1000:8.2f} ms")
    print(f"  first/repeated               x{first / repeated:.1f}")
    print("per-run steps of a cached module (median, ms):")
    for step, ms in overhead.items():
        print(f"  {step:<28} {ms:8.3f}")
    print(f"CPU-bound call, Collatz steps of 1..{CPU_N:,} (raw wasmtime call):")
    for mode, seconds in interruption.items():
        ratio = seconds / interruption["none"]
        print(f"  {mode:<28} {seconds:8.3f} s   x{ratio:.2f} of no interruption")
    print("CPU-bound module vs the same C compiled natively (clang -O2):")
    print(f"  wasm via WasmExecutor.run    {wasm:8.3f} s")
    print(f"  native                       {native_s:8.3f} s")
    print(f"  ratio wasm/native            x{wasm / native_s:.2f}")


if __name__ == "__main__":
    main()
