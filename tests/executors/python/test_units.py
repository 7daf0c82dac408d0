"""Pure parts of the executor: argv, task files, reasons, configuration, protocol, namespaces."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from teahouse.errors import InvalidArgument
from teahouse.executors import Limits
from teahouse.executors.python import SandboxConfig, _verdict, flatten_arguments
from teahouse.executors.python._files import OpenRefused, OutputLimitExceeded, ProtocolViolation, TaskFiles
from teahouse.executors.python._process import ExitStatus
from teahouse.executors.python._sandbox import _namespaces, _protocol
from teahouse.executors.python._sandbox._run import MAX_TRACEBACK, _traceback, to_bytes


def test_flatten_arguments_follows_teaclave() -> None:
    assert flatten_arguments({"message": "hi"}) == ["message", "hi"]
    arguments = {"b": 3, "a": True, "c": 1.0, "d": [1, 2], "e": {"y": 1, "x": "é"}, "f": None}
    assert flatten_arguments(arguments) == [
        "a", "true", "b", "3", "c", "1.0", "d", "[1,2]", "e", '{"x":"é","y":1}', "f", "null",
    ]  # fmt: skip
    # Byte-lexicographic: upper case before lower case, ASCII before anything else.
    assert flatten_arguments({"é": "1", "z": "2", "Z": "3"})[::2] == ["Z", "z", "é"]


def _files(tmp_path: Path, max_open: int = 4, output_bytes: int | None = 10) -> TaskFiles:
    (tmp_path / "in.txt").write_bytes(b"abcdef")
    return TaskFiles(
        {"input": tmp_path / "in.txt", "missing": tmp_path / "nope"},
        {"output": tmp_path / "out.txt"},
        max_open,
        output_bytes,
    )


def test_task_files_give_independent_readers(tmp_path: Path) -> None:
    files = _files(tmp_path)
    one, two = files.open("input", "rb"), files.open("input", "rb")
    assert files.read(one, 2) == b"ab"
    assert files.read(two, 10) == b"abcdef"
    assert files.read(one, 10) == b"cdef"
    files.close(one)
    with pytest.raises(ProtocolViolation):
        files.read(one, 1)
    files.close_all()


def test_task_files_refuse_what_mesapy_refuses(tmp_path: Path) -> None:
    files = _files(tmp_path, max_open=1)
    for name, mode, message in [
        ("unknown", "rb", "fileio_init: teaclave_ffi_error"),
        ("output", "rb", "fileio_init: teaclave_ffi_error"),
        ("input", "wb", "fileio_init: teaclave_ffi_error"),
        ("missing", "rb", "fileio_init: teaclave_ffi_error"),
        ("input", "r", "Teaclave Not Supported"),
    ]:
        with pytest.raises(OpenRefused, match=message):
            files.open(name, mode)
    files.open("input", "rb")
    with pytest.raises(OpenRefused, match=r"too many open files \(limit 1\)"):
        files.open("input", "rb")
    files.close_all()


def test_task_files_count_output(tmp_path: Path) -> None:
    files = _files(tmp_path)
    handle = files.open("output", "wb")
    with pytest.raises(ProtocolViolation):
        files.read(handle, 1)
    files.write(handle, b"12345678")
    with pytest.raises(OutputLimitExceeded):
        files.write(handle, b"123")
    files.count_output(2)
    with pytest.raises(OutputLimitExceeded):
        files.count_output(1)
    files.close_all()
    assert (tmp_path / "out.txt").read_bytes() == b"12345678"


def test_reasons_name_the_limit() -> None:
    limits = Limits(wall_time_s=5, cpu_time_s=2.5, memory_bytes=512 << 20, output_bytes=1000)
    assert _verdict.wall_time(limits) == "time limit exceeded (wall 5.0 s)"
    assert _verdict.cpu_time(limits) == "time limit exceeded (cpu 2.5 s)"
    assert _verdict.memory(limits) == "memory limit exceeded (512 MiB)"
    assert _verdict.output(limits) == "output limit exceeded (1000 bytes)"
    assert _verdict.raised("ValueError", "bad") == "ValueError: bad"
    assert _verdict.raised("StopIteration", "") == "StopIteration"


def test_death_is_explained() -> None:
    limits = Limits(cpu_time_s=2.0)
    killed = ExitStatus(code=None, signal=signal.SIGKILL, cpu_s=3.0)
    assert _verdict.died(killed, limits, boot_cpu_s=0.1) == "time limit exceeded (cpu 2.0 s)"
    early = ExitStatus(code=None, signal=signal.SIGKILL, cpu_s=0.5)
    assert _verdict.died(early, limits, boot_cpu_s=0.1) == "function was killed by SIGKILL"
    segv = ExitStatus(code=None, signal=signal.SIGSEGV, cpu_s=0.0)
    assert _verdict.died(segv, limits, boot_cpu_s=0.0) == "function was killed by SIGSEGV"
    exited = ExitStatus(code=3, signal=None, cpu_s=0.0)
    assert _verdict.died(exited, limits, boot_cpu_s=0.0) == "function exited with status 3 before returning"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, b""), ("é", "é".encode()), (b"\x00", b"\x00"), (bytearray(b"ab"), b"ab"), (1.5, b"1.5")],
)
def test_return_value_conversion(value: object, expected: bytes) -> None:
    assert to_bytes(value) == expected


def test_long_tracebacks_keep_both_ends() -> None:
    error: BaseException | None = None
    for n in range(100):
        try:
            raise ValueError(f"error {n} " + "x" * 1000) from error
        except ValueError as raised:
            error = raised
    assert error is not None
    text = _traceback(error)
    assert len(text) < MAX_TRACEBACK + 100
    assert text.startswith("Traceback (most recent call last):")
    assert "characters left out" in text
    assert text.splitlines()[-1].startswith("ValueError: error 99 xxx")


@pytest.mark.parametrize(
    "kwargs",
    [{"pool_size": -1}, {"namespaces": ("net", "user")}, {"uid_base": 0}, {"uid_base": 2**32 - 10},
     {"worker_threads": 0}, {"worker_open_files": 4}, {"start_timeout_s": 0}],
)  # fmt: skip
def test_config_is_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        SandboxConfig(**kwargs)  # type: ignore[arg-type]


def test_frame_header_round_trip() -> None:
    header = _protocol.encode_header(_protocol.Kind.RETURN, 5)
    assert len(header) == _protocol.HEADER.size == 9
    assert _protocol.decode_header(header) == (_protocol.Kind.RETURN, 5)


def test_namespaces_degrade_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def unshare(flags: int) -> None:
        calls.append(flags)
        if flags & _namespaces.FLAGS["net"] or flags == sum(_namespaces.FLAGS[n] for n in ("net", "ipc")):
            raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(_namespaces._libc, "unshare", unshare)
    entered, missing = _namespaces.enter(["net", "ipc"])
    assert (entered, missing) == (["ipc"], ["net"])
    assert calls == [_namespaces.FLAGS["net"] | _namespaces.FLAGS["ipc"], _namespaces.FLAGS["net"],
                     _namespaces.FLAGS["ipc"]]  # fmt: skip
