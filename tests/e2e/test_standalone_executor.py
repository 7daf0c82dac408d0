"""`teahouse executor serve`: the execution service alone, verified by its clients, running a
Python function over files that travel inside the attested connection (SDK and `teahouse run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import main as cli
from teahouse.framework.state import ProcessState
from teahouse.layout import Layout
from teahouse.sdk import ExecutorClient, RunFailed, Trust
from teahouse.testing.platform import free_ports, write_config

pytestmark = pytest.mark.e2e

COUNT_LINES = b"""
def entrypoint(argv):
    args = dict(zip(argv[::2], argv[1::2]))
    with teaclave_open("rows", "rb") as f:
        lines = f.read().splitlines()
    with teaclave_open("summary", "wb") as out:
        out.write(("%s: %d lines" % (args["label"], len(lines))).encode())
    return str(len(lines))
"""

FAILING = b"def entrypoint(argv):\n    raise ValueError('no luck')\n"


@pytest.fixture(scope="module")
def executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("standalone-executor")
    write_config(home, execution_nodes=0)
    (port,) = free_ports(1)
    address = f"127.0.0.1:{port}"
    log = open(home / "serve.out", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "teahouse.cli", "executor", "serve", "--home", str(home), "--listen", address],
        stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    log.close()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = ProcessState.read(Layout(home).state_file("execution"))
            if state is not None and state.status == "ready" and state.alive():
                break
            assert proc.poll() is None, (home / "serve.out").read_text()
            time.sleep(0.1)
        else:
            raise AssertionError("the standalone executor did not start")
        trust = home / "exported-trust"
        assert CliRunner().invoke(cli, ["trust", "export", "--home", str(home), str(trust)]).exit_code == 0
        yield address, trust
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_sdk_run_with_files(executor: tuple[str, Path]) -> None:
    address, trust = executor
    with ExecutorClient(address, Trust.load(trust)) as client:
        result = client.run(
            COUNT_LINES, arguments={"label": "rows"}, inputs={"rows": b"a\nb\nc\n"}, outputs=["summary"]
        )
        assert client.peer is not None and client.peer.service == "execution" and client.peer.simulated
    assert result.return_value == b"3"
    assert result.outputs == {"summary": b"rows: 3 lines"}


def test_a_failing_function_says_why(executor: tuple[str, Path]) -> None:
    address, trust = executor
    with ExecutorClient(address, Trust.load(trust)) as client, pytest.raises(RunFailed) as info:
        client.run(FAILING)
    assert "ValueError" in info.value.reason and "no luck" in info.value.reason
    assert any("Traceback" in line for line in info.value.log)


def test_teahouse_run(executor: tuple[str, Path], tmp_path: Path) -> None:
    address, trust = executor
    payload = tmp_path / "count.py"
    payload.write_bytes(COUNT_LINES)
    rows = tmp_path / "rows.csv"
    rows.write_text("1\n2\n")
    summary = tmp_path / "summary.txt"
    result = CliRunner().invoke(
        cli,
        ["run", str(payload), "--executor", address, "--trust", str(trust), "--arg", "label=csv",
         "--input", f"rows={rows}", "--output", f"summary={summary}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("2")
    assert summary.read_text() == "csv: 2 lines"
    result = CliRunner().invoke(
        cli,
        ["run", str(payload), "--executor", address, "--trust", str(trust), "--arg-json", "label=[1,2]",
         "--input", f"rows={rows}", "--output", f"summary={summary}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert summary.read_text() == "[1,2]: 2 lines"  # a JSON value reaches argv as compact JSON
    failing = tmp_path / "fail.py"
    failing.write_bytes(FAILING)
    result = CliRunner().invoke(cli, ["run", str(failing), "--executor", address, "--trust", str(trust)])
    assert result.exit_code == 1 and "the function failed: ValueError: no luck" in result.output
    result = CliRunner().invoke(
        cli,
        ["run", str(payload), "--executor", address, "--trust", str(trust), "--input", "rows=/nonexistent"],
    )
    assert result.exit_code == 1 and "does not exist" in result.output
