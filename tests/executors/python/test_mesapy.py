"""Teaclave's MesaPy contract (behaviour §5.4, §9 items 9-12) at executor level."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from teahouse.executors import FunctionFailed
from teahouse.executors.python import PythonExecutor, SandboxConfig

from .conftest import DATA, invocation, payload, source


async def test_echo(executor: PythonExecutor) -> None:
    result = await executor.run(invocation(payload("echo"), {"message": "Hello, Teaclave!"}))
    assert result.return_value == b"Hello, Teaclave!"


async def test_logistic_regression_trains_then_predicts(executor: PythonExecutor, tmp_path: Path) -> None:
    params, scaler = tmp_path / "params.out", tmp_path / "scaler.out"
    train = invocation(
        payload("logistic_reg"),
        {
            "train_file": "input_train",
            "operation": "train",
            "params_saved": "output_params",
            "scaler_saved": "output_scaler",
        },
        inputs={"input_train": DATA / "train.txt"},
        outputs={"output_params": params, "output_scaler": scaler},
    )
    assert (await executor.run(train)).return_value == b"Training is finished!"

    predict = invocation(
        payload("logistic_reg"),
        {
            "operation": "predict",
            "predict_file": "input_predict",
            "params_saved": "output_params",
            "scaler_saved": "output_scaler",
        },
        inputs={"input_predict": DATA / "predict.txt", "output_params": params, "output_scaler": scaler},
    )
    assert (await executor.run(predict)).return_value == b"1,1,0,0,0"


async def test_optional_input_absent(executor: PythonExecutor) -> None:
    result = await executor.run(invocation(payload("optional_files")))
    assert result.return_value == b"input_data1 does not exist"


async def test_optional_input_present(executor: PythonExecutor) -> None:
    result = await executor.run(
        invocation(payload("optional_files"), inputs={"input_data1": DATA / "mesapy_input.txt"})
    )
    assert result.return_value == b"Hello\n"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_dead_loop_is_cancelled_and_its_worker_killed() -> None:
    async with PythonExecutor(SandboxConfig(pool_size=0)) as python:
        run = asyncio.ensure_future(python.run(invocation(payload("deadloop"))))
        while python._template is None or not python._template._workers:
            await asyncio.sleep(0.01)
        (worker,) = python._template._workers
        await asyncio.sleep(0.3)  # let it start spinning
        # The worker is the reaper outside the PID namespace; the loop spins in its child.
        inner = [int(pid) for pid in Path(f"/proc/{worker}/task/{worker}/children").read_text().split()]
        assert len(inner) == 1
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        for _ in range(200):
            if _gone(worker) and _gone(inner[0]):
                break
            await asyncio.sleep(0.01)
        assert _gone(worker) and _gone(inner[0])
        # The executor goes on serving.
        result = await python.run(invocation(payload("echo"), {"message": "still here"}))
        assert result.return_value == b"still here"


FILE_API = source(
    """
    import io

    def entrypoint(argv):
        with teaclave_open("in_f1", "rb") as f:
            assert f.readline() == b"Hello\\n"
            assert f.read() == b"World"
            assert f.read() == b""
        from teaclave import open
        first, second = open("in_f1", "rb"), open("in_f1", "rb")
        assert first.read(2) == b"He"
        assert second.readlines() == [b"Hello\\n", b"World"]
        assert list(first) == [b"llo\\n", b"World"]
        try:
            first.seek(0)
        except io.UnsupportedOperation:
            pass
        else:
            raise AssertionError("seek must not be supported")
        first.close()
        second.close()
        try:
            first.read()
        except ValueError:
            pass
        for name, mode, expected in [
            ("invalid_key", "rb", "fileio_init: teaclave_ffi_error"),
            ("in_f1", "r", "Teaclave Not Supported"),
            ("invalid_key", "wb", "fileio_init: teaclave_ffi_error"),
            ("out_f1", "w", "Teaclave Not Supported"),
            ("out_f1", "rb", "fileio_init: teaclave_ffi_error"),
            ("in_f1", "wb", "fileio_init: teaclave_ffi_error"),
        ]:
            try:
                teaclave_open(name, mode)
            except RuntimeError as e:
                assert str(e) == expected and e.message == expected, (name, mode, str(e))
            else:
                raise AssertionError((name, mode))
        with teaclave_open("out_f1", "wb") as f:
            f.write("This message is from Mesapy!")
            f.write(b" and bytes" * 10000)
        return "ok"
    """
)


async def test_file_api(executor: PythonExecutor, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = await executor.run(
        invocation(FILE_API, inputs={"in_f1": DATA / "mesapy_input.txt"}, outputs={"out_f1": out})
    )
    assert result.return_value == b"ok"
    assert out.read_bytes() == b"This message is from Mesapy!" + b" and bytes" * 10000


async def test_large_input_streams_through(executor: PythonExecutor, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * 8192)  # 2 MiB
    code = source(
        """
        import hashlib
        def entrypoint(argv):
            digest = hashlib.sha256()
            with teaclave_open("big", "rb") as f:
                while chunk := f.read(100_000):
                    digest.update(chunk)
            return digest.hexdigest()
        """
    )
    import hashlib

    result = await executor.run(invocation(code, inputs={"big": big}))
    assert result.return_value == hashlib.sha256(big.read_bytes()).hexdigest().encode()


async def test_argv_is_flattened_in_key_order(executor: PythonExecutor) -> None:
    code = source("def entrypoint(argv):\n    return '|'.join(argv)\n")
    arguments = {"b": 1, "a": "x", "d": True, "c": [1, 2], "é": 1.0, "Z": None}
    result = await executor.run(invocation(code, arguments))
    assert result.return_value.decode() == "Z|null|a|x|b|1|c|[1,2]|d|true|é|1.0"


@pytest.mark.parametrize(
    ("returned", "expected"),
    [("None", b""), ("'héllo'", "héllo".encode()), ("b'\\x00\\xff'", b"\x00\xff"), ("42", b"42")],
)
async def test_return_value_conversion(executor: PythonExecutor, returned: str, expected: bytes) -> None:
    code = source(f"def entrypoint(argv):\n    return {returned}\n")
    assert (await executor.run(invocation(code))).return_value == expected


async def test_return_value_is_not_limited_to_mesapy_buffer(executor: PythonExecutor) -> None:
    code = source("def entrypoint(argv):\n    return 'x' * 5_000_000\n")
    assert (await executor.run(invocation(code))).return_value == b"x" * 5_000_000


async def test_exception_fails_the_task_with_traceback(executor: PythonExecutor) -> None:
    code = source(
        """
        def helper():
            raise ValueError("bad input")

        def entrypoint(argv):
            print("about to fail")
            helper()
        """
    )
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(code))
    assert failed.value.reason == "ValueError: bad input"
    log = "\n".join(failed.value.log)
    assert "about to fail" in log
    assert 'File "<payload>", line 3, in helper' in log
    assert 'raise ValueError("bad input")' in log
    assert "_sandbox" not in log  # the executor's own frames are not shown


async def test_long_failures_are_truncated_not_lost(executor: PythonExecutor) -> None:
    code = source(
        """
        def dive(n):
            return dive(n + 1)

        def entrypoint(argv):
            try:
                dive(0)
            except RecursionError:
                raise ValueError("\\x00" * 1_000_000)
        """
    )
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(code))
    assert failed.value.reason == "ValueError: " + "\x00" * 4096
    log = "\n".join(failed.value.log)
    assert log.startswith("Traceback (most recent call last):")
    assert "RecursionError: maximum recursion depth exceeded" in log
    assert log.endswith(" [...]")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (b"def entrypoint(argv)\n    return 1\n", "SyntaxError: expected ':' (<payload>, line 1)"),
        (b"def main(argv):\n    return 1\n", "PayloadError: the payload does not define entrypoint(argv)"),
        (b"import sqlite3", "ModuleNotFoundError: No module named 'sqlite3' (not available in the sandbox)"),
        (b"def entrypoint(argv):\n    raise SystemExit(3)\n", "SystemExit: 3"),
    ],
)
async def test_broken_payloads(executor: PythonExecutor, code: bytes, reason: str) -> None:
    with pytest.raises(FunctionFailed) as failed:
        await executor.run(invocation(code))
    assert failed.value.reason == reason


async def test_prints_go_to_the_log_when_asked(executor: PythonExecutor) -> None:
    code = source("def entrypoint(argv):\n    print('line one')\n    print('line two')\n    return 'done'")
    kept = await executor.run(invocation(code, save_log=True))
    assert kept.log == ["line one", "line two"]
    dropped = await executor.run(invocation(code))
    assert dropped.return_value == b"done" and dropped.log == []


STDLIB_AND_NUMPY = source(
    """
    import base64, collections, csv, datetime, decimal, hashlib, io, json, math, random, re
    import statistics, struct, threading, time, zlib
    import numpy as np

    def entrypoint(argv):
        checks = []
        a = np.random.default_rng(1).random((40, 40)) + np.eye(40)
        checks.append(np.allclose(a @ np.linalg.inv(a), np.eye(40)))
        checks.append(len(np.linalg.svd(a)[1]) == 40)
        checks.append(abs(np.fft.fft(np.ones(8))[0] - 8) < 1e-9)
        checks.append(str(np.array([1.5, 2.0])) == "[1.5 2. ]")
        checks.append(np.einsum("ij,ij->", a, a) > 0 and np.sort(np.array([3, 1, 2])).tolist() == [1, 2, 3])
        checks.append(json.loads(json.dumps({"k": [1, 2]})) == {"k": [1, 2]})
        checks.append(re.sub(r"\\d", "#", "a1b2") == "a#b#")
        checks.append(datetime.datetime.now().year >= 2024 and time.time() > 0)
        checks.append(str(decimal.Decimal("1.1") + decimal.Decimal("2.2")) == "3.3")
        checks.append(statistics.mean([1, 2, 3]) == 2 and math.isclose(math.pi, 3.14159, rel_tol=1e-5))
        checks.append(zlib.decompress(zlib.compress(b"x" * 1000)) == b"x" * 1000)
        checks.append(hashlib.sha256(b"").hexdigest().startswith("e3b0c442"))
        checks.append(base64.b64decode(base64.b64encode(b"\\x00\\xff")) == b"\\x00\\xff")
        checks.append(list(csv.reader(io.StringIO("a,b\\n1,2\\n"))) == [["a", "b"], ["1", "2"]])
        checks.append(struct.unpack("<I", struct.pack("<I", 7)) == (7,) and random.random() < 1)
        results = []
        threads = [threading.Thread(target=lambda: results.append(sum(range(1000)))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        checks.append(results == [499500] * 4)
        checks.append(collections.Counter("abca")["a"] == 2 and not __import__("sys").stdout.isatty())
        return repr([bool(check) for check in checks])
    """
)


async def test_the_allow_list_does_not_get_in_the_way(executor: PythonExecutor) -> None:
    result = await executor.run(invocation(STDLIB_AND_NUMPY))
    checks = eval(result.return_value)
    assert checks == [True] * len(checks)


async def test_numpypy_shim_import_forms(executor: PythonExecutor) -> None:
    code = source(
        """
        import _numpypy as np
        import _numpypy.multiarray
        from _numpypy import multiarray, umath

        def entrypoint(argv):
            a = multiarray.array([1.0, 4.0, 9.0])
            assert _numpypy.multiarray.zeros((2, 1)).shape == (2, 1)
            assert np.multiarray.frombuffer(a.tobytes()).tolist() == [1.0, 4.0, 9.0]
            return str(umath.sqrt(a).tolist())
        """
    )
    assert (await executor.run(invocation(code))).return_value == b"[1.0, 2.0, 3.0]"
