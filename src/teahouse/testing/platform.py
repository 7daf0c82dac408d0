"""A whole Teahouse platform on free loopback ports, for tests, benchmarks and tutorials.

``LocalPlatform`` writes a ``teahouse.toml`` with free ports into a fresh home folder, runs
``teahouse up`` there as a child process and waits until everything is ready. It can kill and
wait for the restart of individual processes (the launcher supervises them), and hands out
in-process identities of any service so that tests can call internal endpoints as that service.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from teahouse import config as config_mod
from teahouse import topology
from teahouse.framework.state import ProcessState
from teahouse.launcher import LAUNCHER
from teahouse.layout import Layout

START_TIMEOUT_S = 180.0


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def write_config(home: Path, *, execution_nodes: int = 2, extra: dict[str, Any] | None = None) -> None:
    """A config for ``home`` with every endpoint on a free loopback port."""
    names_api = list(topology.API_PORTS)
    names_internal = list(topology.INTERNAL_PORTS)
    ports = free_ports(1 + len(names_api) + len(names_internal))
    settings: dict[str, Any] = {
        "attestation": {"listen_address": f"127.0.0.1:{ports[0]}", "url": f"https://127.0.0.1:{ports[0]}"},
        "api_endpoints": {
            name: {"listen_address": f"127.0.0.1:{port}"}
            for name, port in zip(names_api, ports[1:], strict=False)
        },
        "internal_endpoints": {
            name: {"listen_address": f"127.0.0.1:{port}", "advertised_address": f"https://127.0.0.1:{port}"}
            for name, port in zip(names_internal, ports[1 + len(names_api) :], strict=False)
        },
        "execution": {"nodes": execution_nodes},
    }
    for section, values in (extra or {}).items():
        settings.setdefault(section, {}).update(values)
    home.mkdir(parents=True, exist_ok=True)
    (home / config_mod.CONFIG_FILE).write_text(tomli_w.dumps(settings))


@dataclass
class LocalPlatform:
    home: Path
    proc: subprocess.Popen[bytes] | None = None
    config: config_mod.Config = field(init=False)

    def __post_init__(self) -> None:
        self.config = config_mod.load(self.home)

    @property
    def layout(self) -> Layout:
        return Layout(self.home)

    @property
    def trust_dir(self) -> Path:
        return self.layout.trust_dir

    def address(self, service: str, *, api: bool = False) -> tuple[str, int]:
        if api:
            a = self.config.api_endpoints[service]
            return a.host, a.port
        e = self.config.internal_endpoints[service].advertised
        return e.host, e.port

    def start(self) -> LocalPlatform:
        log = open(self.layout.home / "launcher.out", "ab")  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "teahouse.cli", "up", "--home", str(self.home)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            state = self.state(LAUNCHER)
            if state is not None and state.pid == self.proc.pid and state.status == "ready":
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(
                    "the platform did not start:\n" + (self.home / "launcher.out").read_text(errors="replace")
                )
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the platform was not ready after {START_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def state(self, process: str) -> ProcessState | None:
        return ProcessState.read(self.layout.state_file(process))

    def pid(self, process: str) -> int:
        state = self.state(process)
        if state is None:
            raise LookupError(f"{process} is not running")
        return state.pid

    def kill(self, process: str, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` to a process; return its pid. The launcher restarts it."""
        pid = self.pid(process)
        os.kill(pid, sig)
        return pid

    def wait_restarted(self, process: str, old_pid: int, timeout: float = 120.0) -> ProcessState:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state(process)
            if state is not None and state.pid != old_pid and state.status == "ready" and state.alive():
                return state
            time.sleep(0.05)
        raise TimeoutError(f"{process} did not come back within {timeout} s")

    def log(self, process: str) -> str:
        try:
            return self.layout.log_file(process).read_text(errors="replace")
        except FileNotFoundError:
            return ""
