"""The per-task file table behind the host functions, without WebAssembly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from teahouse.executors.wasm._files import HostFault, TaskFiles

WRITE = 0x4000_0000


@pytest.fixture
def files(tmp_path: Path) -> Iterator[TaskFiles]:
    source = tmp_path / "in.txt"
    source.write_bytes(b"hello")
    table = TaskFiles({"in": source}, {"out": tmp_path / "out.txt"}, max_open=3, output_bytes=8)
    yield table
    table.close_all()


def test_read_handles_count_up_and_write_handles_carry_the_flag(files: TaskFiles) -> None:
    assert files.open_input("in") == 1
    assert files.create_output("out") == WRITE | 2
    assert files.open_input("in") == 3


def test_unknown_names_are_refused(files: TaskFiles) -> None:
    assert files.open_input("out") == -1
    assert files.create_output("in") == -1
    assert files.open_input("in") == 1  # a refused open uses no number


def test_reads_until_eof(files: TaskFiles) -> None:
    handle = files.open_input("in")
    assert files.read(handle, 3) == b"hel"
    assert files.read(handle, 10) == b"lo"
    assert files.read(handle, 10) == b""


def test_wrong_kind_of_handle(files: TaskFiles) -> None:
    reader, writer = files.open_input("in"), files.create_output("out")
    assert files.read(writer, 1) is None
    assert files.write(reader, b"x") == -1


def test_close_twice(files: TaskFiles) -> None:
    handle = files.open_input("in")
    assert files.close(handle) == 0
    assert files.close(handle) == -1
    assert files.read(handle, 1) is None


def test_max_open_limits_concurrent_handles(files: TaskFiles) -> None:
    handles = [files.open_input("in") for _ in range(3)]
    assert files.open_input("in") == -1
    files.close(handles[0])
    assert files.open_input("in") == 4


def test_output_limit_is_a_fault(files: TaskFiles, tmp_path: Path) -> None:
    writer = files.create_output("out")
    assert files.write(writer, b"12345") == 5
    with pytest.raises(HostFault, match="output limit of 8 bytes exceeded"):
        files.write(writer, b"6789")
    files.close_all()
    assert (tmp_path / "out.txt").read_bytes() == b"12345"


def test_close_all_flushes_outputs(files: TaskFiles, tmp_path: Path) -> None:
    files.write(files.create_output("out"), b"kept")
    files.close_all()
    assert (tmp_path / "out.txt").read_bytes() == b"kept"
