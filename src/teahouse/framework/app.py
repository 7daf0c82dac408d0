"""The app part of a service: config, logging, signals, lifecycle of the trusted part.

``run_service`` is what every service's ``__main__`` calls. It loads the configuration once,
builds the trusted part's :class:`Environment`, then drives the trusted part through
init → start → finalize: ``start`` returns once the part is serving (its endpoints), the state
file then says "ready", and SIGTERM or SIGINT lead to ``finalize`` and a clean exit.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Protocol

from teahouse import config as config_mod
from teahouse.framework import logs, metrics, state
from teahouse.framework.environment import Environment, StartupRefused
from teahouse.layout import Layout

log = logging.getLogger(__name__)


class TrustedPart(Protocol):
    async def start(self) -> dict[str, str]:
        """Begin serving (``env.serve``, ``env.background``); return the endpoints (name → address)."""
        ...

    async def finalize(self) -> None:
        """Release what the part holds and flush everything acknowledged. By then the framework has
        closed the servers started with ``env.serve`` and cancelled ``env.background`` work."""
        ...


def parse_args(
    argv: Sequence[str] | None,
    description: str,
    add_options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    if add_options is not None:
        add_options(parser)
    parser.add_argument("--home", type=str, default=None, help="deployment home folder")
    parser.add_argument("--name", type=str, default=None, help="process name (for several nodes)")
    parser.add_argument(
        "-o", "--override", action="append", default=[], metavar="KEY=VALUE", help="config override"
    )
    return parser.parse_args(argv)


def load_config(args: argparse.Namespace) -> config_mod.Config:
    overrides = dict(config_mod.parse_override(o) for o in args.override)
    return config_mod.load(Path(args.home) if args.home else None, overrides)


async def serve_until_signalled(
    process: str,
    config: config_mod.Config,
    start: Callable[[], Awaitable[dict[str, str]]],
    finalize: Callable[[], Awaitable[None]],
    *,
    measurement: dict[str, str] | None = None,
) -> None:
    """Start, publish readiness, wait for SIGTERM/SIGINT, finalize, clean the state file."""
    layout = Layout(config.home)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pid = os.getpid()
    endpoints = await start()
    if config.metrics.enabled:
        port = metrics.serve(config.metrics.host, config.metrics.port_for(process))
        endpoints["metrics"] = f"http://{config.metrics.host}:{port}/metrics"
    state.ProcessState(process, pid, "ready", endpoints, measurement or {}).write(layout)
    log.info("ready", extra={"endpoints": endpoints})
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        state.ProcessState(process, pid, "stopping", endpoints, measurement or {}).write(layout)
        try:
            await finalize()
        finally:
            state.remove(layout, process, pid)
            log.info("stopped")


def run_service(
    service: str,
    build: Callable[[Environment, argparse.Namespace], TrustedPart],
    argv: Sequence[str] | None = None,
    *,
    add_options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> int:
    args = parse_args(argv, f"Teahouse {service} service", add_options)
    try:
        config = load_config(args)
    except config_mod.ConfigError as exc:
        print(f"teahouse {service}: configuration error: {exc}", file=sys.stderr)
        return 2
    process = args.name or service
    logs.configure(process, config.log_level)

    async def main() -> int:
        try:
            env = await Environment.create(config, service)
        except StartupRefused as exc:
            log.error("refusing to start: %s", exc)
            return 3
        part = build(env, args)
        env.background(env.refresh_identity_forever(), "identity-refresh")

        async def finalize() -> None:
            await env.stop_serving()
            await part.finalize()

        m = env.platform.measurement()
        try:
            await serve_until_signalled(
                process,
                config,
                part.start,
                finalize,
                measurement={"mr_enclave": m.mr_enclave_hex, "mr_signer": m.mr_signer_hex},
            )
        finally:
            await env.stop_serving()
            env.close_channels()
        return 0

    return asyncio.run(main())
