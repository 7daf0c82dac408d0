"""Starting the whole platform on one machine (``teahouse up``).

The launcher prepares the deployment (platform secrets, auditors), starts the attestation
service, has enclave_info measured and signed, then starts the services in dependency order,
each as its own process, waiting until each is ready. It supervises them — a service that
exits unexpectedly is restarted after a short pause — and stops them all, in reverse order,
on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from teahouse import deployment, topology
from teahouse.config import Config
from teahouse.framework.state import ProcessState
from teahouse.layout import Layout
from teahouse.tee.sim import SimSecrets

log = logging.getLogger(__name__)

ATTESTATION = "attestation"
LAUNCHER = "launcher"
READY_TIMEOUT_S = 60.0
RESTART_DELAY_S = 1.0
STOP_TIMEOUT_S = 15.0


class LaunchError(RuntimeError):
    """A process did not become ready; the message includes the end of its log."""


def service_module(service: str) -> str | None:
    """The module that runs ``service``, or ``None`` if this build does not have it yet."""
    name = f"teahouse.services.{service}"
    try:
        return name if importlib.util.find_spec(f"{name}.__main__") is not None else None
    except ModuleNotFoundError:
        return None


@dataclass
class Child:
    process: str  # "storage", "execution-1", ...
    module: str  # run with ``python -m``; or a script path when ``script`` is set
    args: list[str] = field(default_factory=list)
    script: bool = False
    proc: asyncio.subprocess.Process | None = None
    restarts: int = 0
    stopping: bool = False


class Launcher:
    def __init__(
        self,
        config: Config,
        *,
        overrides: list[str] | None = None,
        supervise: bool = True,
        report: Callable[[str], None] = lambda line: None,
        services: list[tuple[str, list[str]]] | None = None,
    ) -> None:
        self.config = config
        self.layout = Layout(config.home)
        self._overrides = overrides or []
        self._supervise = supervise
        self._report = report
        self._only = services
        self._children: dict[str, Child] = {}
        self._watchers: set[asyncio.Task[None]] = set()

    # ---- preparation -------------------------------------------------------------------
    def _plan(self) -> list[Child]:
        children = [Child(ATTESTATION, "teahouse.attestation.service")]
        if self._only is not None:
            for service, args in self._only:
                module = service_module(service)
                if module is None:
                    raise LaunchError(f"this build has no {service} service")
                children.append(Child(service, module, args))
            return children
        for service in topology.SERVICES:
            module = service_module(service)
            if module is None:
                continue
            if service == topology.EXECUTION:
                for n in range(1, self.config.execution_nodes + 1):
                    children.append(Child(f"execution-{n}", module, ["--name", f"execution-{n}"]))
            else:
                children.append(Child(service, module))
        for name, custom in self.config.custom_services.items():
            children.append(Child(name, str(custom.script), script=True))
        return children

    # ---- process control ---------------------------------------------------------------
    async def _spawn(self, child: Child) -> None:
        self.layout.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(self.layout.log_file(child.process), "ab")  # noqa: SIM115 - handed to the child
        entry = [child.module] if child.script else ["-m", child.module]
        args = [sys.executable, *entry, "--home", str(self.config.home), *child.args]
        for override in self._overrides:
            args += ["-o", override]
        try:
            child.proc = await asyncio.create_subprocess_exec(
                *args,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                start_new_session=True,
            )
        finally:
            log_file.close()

    async def _wait_ready(self, child: Child) -> ProcessState:
        assert child.proc is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        path = self.layout.state_file(child.process)
        while time.monotonic() < deadline:
            state = ProcessState.read(path)
            if state is not None and state.pid == child.proc.pid and state.status == "ready":
                return state
            if child.proc.returncode is not None:
                raise LaunchError(
                    f"{child.process} exited with status {child.proc.returncode} while starting:\n"
                    + self._log_tail(child.process)
                )
            await asyncio.sleep(0.05)
        raise LaunchError(
            f"{child.process} was not ready after {READY_TIMEOUT_S:.0f} s:\n" + self._log_tail(child.process)
        )

    def _log_tail(self, process: str, lines: int = 15) -> str:
        try:
            text = self.layout.log_file(process).read_text(errors="replace").splitlines()
        except OSError:
            return "  (no log)"
        return "\n".join("  " + line for line in text[-lines:])

    async def _start(self, child: Child) -> ProcessState:
        await self._spawn(child)
        state = await self._wait_ready(child)
        self._children[child.process] = child
        if self._supervise:
            task = asyncio.create_task(self._watch(child))
            self._watchers.add(task)
            task.add_done_callback(self._watchers.discard)
        return state

    async def _watch(self, child: Child) -> None:
        """Restart the child whenever it exits without being asked to."""
        while True:
            assert child.proc is not None
            code = await child.proc.wait()
            if child.stopping:
                return
            child.restarts += 1
            log.warning("%s exited with status %s; restarting", child.process, code)
            self._report(f"{child.process} exited with status {code}; restarting")
            await asyncio.sleep(RESTART_DELAY_S)
            if child.stopping:
                return
            try:
                await self._spawn(child)
                await self._wait_ready(child)
            except LaunchError as exc:
                log.error("%s", exc)
                self._report(str(exc))

    # ---- public ------------------------------------------------------------------------
    async def up(self) -> dict[str, ProcessState]:
        """Start everything; return the ready state of each process."""
        for directory in (
            self.layout.run_dir,
            self.layout.log_dir,
            self.config.fusion_base_dir,
            *self.config.file_roots,
        ):
            directory.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(SimSecrets.load_or_create, self.layout.platform_secrets)
        await asyncio.to_thread(deployment.ensure_auditors, self.layout)
        states: dict[str, ProcessState] = {}
        plan = self._plan()
        try:
            attestation, services = plan[0], plan[1:]
            states[attestation.process] = await self._start(attestation)
            self._report("attestation service ready")
            custom = {name: c.code for name, c in self.config.custom_services.items()}
            await asyncio.to_thread(deployment.write_enclave_info, self.layout, custom)
            self._report("enclave_info measured and signed by the auditors")
            for child in services:
                states[child.process] = await self._start(child)
                self._report(f"{child.process} ready")
        except BaseException:
            await self.down()
            raise
        ProcessState(LAUNCHER, os.getpid(), "ready", {}, {}).write(self.layout)
        return states

    async def down(self) -> None:
        """Stop every child, last started first."""
        for child in reversed(list(self._children.values())):
            child.stopping = True
        for task in list(self._watchers):
            task.cancel()
        for child in reversed(list(self._children.values())):
            await self._stop(child)
        self._children.clear()
        path = self.layout.state_file(LAUNCHER)
        state = ProcessState.read(path)
        if state is not None and state.pid == os.getpid():
            path.unlink(missing_ok=True)

    async def _stop(self, child: Child) -> None:
        proc = child.proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            log.warning("%s did not stop in %s s; killing it", child.process, STOP_TIMEOUT_S)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        self.layout.state_file(child.process).unlink(missing_ok=True)

    def processes(self) -> dict[str, Child]:
        return dict(self._children)


async def run_foreground(launcher: Launcher, on_ready: Callable[[dict[str, ProcessState]], None]) -> None:
    """``teahouse up`` without ``--detach``: start, report, wait for a signal, stop."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        states = await launcher.up()
        on_ready(states)
        await stop.wait()
    finally:
        await launcher.down()
