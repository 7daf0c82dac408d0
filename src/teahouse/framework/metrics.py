"""Prometheus metrics of a service process, served on a loopback port.

Every process exposes the RPCs it served (count per method and status, latency histogram per
method); services add their own gauges with :func:`gauge` (tasks per state, queue depth, busy and
idle nodes, sandbox pool size...). The port is ``metrics.base_port + index`` when a base port is
configured (stable ports for a Prometheus scrape config) and an ephemeral one otherwise; either way
the state file and ``teahouse status`` show where to scrape.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server

from teahouse.rpc.dispatch import add_call_observer

log = logging.getLogger(__name__)

RPC_REQUESTS = Counter(
    "teahouse_rpc_requests_total", "RPCs served, by method and gRPC status code", ["method", "code"]
)
RPC_SECONDS = Histogram(
    "teahouse_rpc_duration_seconds",
    "Time to serve an RPC, by method",
    ["method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _observe(method: str, code: int, seconds: float) -> None:
    RPC_REQUESTS.labels(method=method, code=str(code)).inc()
    RPC_SECONDS.labels(method=method).observe(seconds)


add_call_observer(_observe)


@functools.cache
def gauge(name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
    """A process-wide gauge (created once per name)."""
    return Gauge(name, documentation, list(labels))


async def keep_updated(update: Callable[[], Awaitable[None]], interval: float = 5.0) -> None:
    """Run ``update`` (which sets some gauges) now and every ``interval`` seconds, until cancelled;
    services start it with ``env.keep_metrics_updated(update, interval)``."""
    while True:
        try:
            await update()
        except Exception as exc:  # noqa: BLE001 - a gauge may go stale; the service goes on
            log.debug("metrics update failed: %s", exc)
        await asyncio.sleep(interval)


def serve(host: str, port: int) -> int:
    """Serve ``/metrics`` from a background thread; return the bound port."""
    server, _thread = start_http_server(port, addr=host, registry=REGISTRY)
    return int(server.server_address[1])
