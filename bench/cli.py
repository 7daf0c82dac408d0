"""The ``teahouse`` client commands: what a user waits for, as a process and in process.

Prints the median wall time of a bare start (``--help``), of commands that make one attested
call as separate processes (interpreter start + imports + trust loading + TLS + call), the same
commands in process through click's CliRunner, and an echo task from register to result.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from bench._platform import running_platform
from teahouse.cli import main as cli_main

REPEATS = 7


def _median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with running_platform(execution_nodes=1) as platform, tempfile.TemporaryDirectory() as tmp:
        trust = Path(tmp) / "trust"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "teahouse.cli",
                "trust",
                "export",
                "--home",
                str(platform.home),
                str(trust),
            ],
            check=True,
            capture_output=True,
        )
        auth = "{}:{}".format(*platform.address("authentication", api=True))
        frontend = "{}:{}".format(*platform.address("frontend", api=True))
        env = {
            **os.environ,
            "TEAHOUSE_PROFILE": str(Path(tmp) / "profile.toml"),
            "TEAHOUSE_TRUST": str(trust),
            "TEAHOUSE_AUTH": auth,
            "TEAHOUSE_FRONTEND": frontend,
        }

        def process(*args: str) -> str:
            done = subprocess.run(
                [sys.executable, "-m", "teahouse.cli", *args],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            return done.stdout

        def in_process(*args: str) -> str:
            result = CliRunner().invoke(cli_main, list(args), env=env)
            assert result.exit_code == 0, result.stderr
            return result.stdout

        process("login", "admin", "--password", "teaclave")
        function_id = json.loads(
            process("function", "register", "builtin-echo", "--arg", "message", "--json")
        )["function_id"]
        task_id = json.loads(process("task", "create", function_id, "--arg", "message=hi", "--json"))[
            "task_id"
        ]

        print(f"{'command':42} {'process ms':>11} {'in process ms':>14}")
        print(f"{'teahouse --help':42} {_median_ms(lambda: process('--help')):11.0f} {'':>14}")
        for args in (
            ("login", "admin", "--password", "teaclave"),
            ("user", "list", "--json"),
            ("function", "show", function_id, "--json"),
            ("task", "show", task_id, "--json"),
            ("attest", frontend, "--json"),
        ):
            shown = " ".join(a if len(a) < 20 else a[:12] + "…" for a in args)
            outside = _median_ms(lambda a=args: process(*a))  # type: ignore[misc]
            inside = _median_ms(lambda a=args: in_process(*a))  # type: ignore[misc]
            print(f"{'teahouse ' + shown:42} {outside:11.0f} {inside:14.0f}")

        def echo_workflow() -> None:
            created = json.loads(process("task", "create", function_id, "--arg", "message=hi", "--json"))
            process("task", "invoke", created["task_id"])
            assert process("task", "result", created["task_id"], "--wait", "60") == "hi\n"

        print(
            f"echo task: create + invoke + result --wait (3 processes): {_median_ms(echo_workflow, 5):.0f} ms"
        )


if __name__ == "__main__":
    main()
