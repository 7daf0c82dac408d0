"""Test payloads: the C sources in ``payloads/``, built once per session with clang's wasm32 target."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from teahouse.executors import Invocation, Limits
from teahouse.executors.wasm import ModuleCache, WasmExecutor

HERE = Path(__file__).parent
PAYLOADS = HERE / "payloads"
DATA = HERE / "data"

TEACLAVE_FLAGS = [
    "--target=wasm32",
    "-nostdlib",
    "-Wl,--export-all",
    "-Wl,--allow-undefined",
    "-Wl,--no-entry",
    "-O2",
]
WASI_FLAGS = ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wl,--allow-undefined"]

#: Payloads built for WASI; every other source is a Teaclave-style -nostdlib module.
WASI_BUILDS = {
    "wasi_hello": WASI_FLAGS,
    "wasi_files": WASI_FLAGS,
    "wasi_flood": WASI_FLAGS,
    "wasi_sleep": WASI_FLAGS,
    "wasi_reactor": [*WASI_FLAGS, "-mexec-model=reactor"],
}


def find_clang() -> str | None:
    for name in ("clang", "clang-14"):
        path = shutil.which(name)
        if path is not None:
            return path
    return None


class PayloadBuilder:
    """Builds every ``payloads/*.c`` (in parallel) and keeps the module bytes for the session."""

    def __init__(self, clang: str, out_dir: Path) -> None:
        self._clang = clang
        self._out_dir = out_dir
        names = sorted(source.stem for source in PAYLOADS.glob("*.c"))
        with ThreadPoolExecutor(max_workers=4) as pool:
            self._built = dict(zip(names, pool.map(self._build, names), strict=True))

    def __call__(self, name: str) -> bytes:
        return self._built[name]

    def _build(self, name: str) -> bytes:
        source = PAYLOADS / f"{name}.c"
        target = self._out_dir / f"{name}.wasm"
        flags = WASI_BUILDS.get(name, TEACLAVE_FLAGS)
        command = [self._clang, *flags, f"-I{PAYLOADS}", str(source), "-o", str(target)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise AssertionError(f"building {source.name} failed:\n{done.stderr}")
        return target.read_bytes()


@pytest.fixture(scope="session")
def payload(tmp_path_factory: pytest.TempPathFactory) -> PayloadBuilder:
    """``payload("simple_add")`` is the compiled module of ``payloads/simple_add.c``."""
    clang = find_clang()
    if clang is None:
        pytest.skip("clang is not installed (the wasm32 test payloads need clang, lld and wasi-libc)")
    return PayloadBuilder(clang, tmp_path_factory.mktemp("wasm-payloads"))


@pytest.fixture
def invocation(tmp_path: Path) -> Callable[..., Invocation]:
    """Build an :class:`Invocation`; ``outputs`` names become files under ``tmp_path/out``."""

    def make(
        module: bytes,
        arguments: Mapping[str, Any] | None = None,
        *,
        inputs: Mapping[str, Path] | None = None,
        outputs: list[str] | None = None,
        limits: Limits | None = None,
        save_log: bool = False,
    ) -> Invocation:
        out_dir = tmp_path / "out"
        out_dir.mkdir(exist_ok=True)
        return Invocation(
            task_id="task-1",
            function_name="wasm-test",
            payload=module,
            arguments=dict(arguments or {}),
            inputs=dict(inputs or {}),
            outputs={name: out_dir / name for name in outputs or []},
            limits=limits or Limits(),
            save_log=save_log,
        )

    return make


@pytest.fixture
def input_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """``input_file(name, data)`` writes a plaintext input under ``tmp_path/in``."""

    def make(name: str, data: bytes) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    return make


@pytest.fixture(scope="session")
def module_cache() -> ModuleCache:
    """One compile cache for the session, so that each payload compiles once."""
    return ModuleCache()


@pytest.fixture
async def executor(module_cache: ModuleCache) -> AsyncIterator[WasmExecutor]:
    running = WasmExecutor(cache=module_cache)
    try:
        yield running
    finally:
        await running.close()
