"""The trusted part's environment: TEE platform, verified trust, RA-TLS identity, channels, servers.

Creating an :class:`Environment` is the trusted part's start-up: it verifies the auditors'
signatures on enclave_info (and refuses to start if they fail), checks that its own measurement
is the audited one, gets its first attested identity, and from then on hands out attested
servers and channels that all use the one verifier.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from teahouse import topology
from teahouse.attestation.client import AttestationServiceClient
from teahouse.attestation.errors import EnclaveInfoError
from teahouse.attestation.identity import IdentityHolder, create_identity
from teahouse.attestation.trust import TrustBundle
from teahouse.attestation.verify import VerificationPolicy, Verifier
from teahouse.config import Address, Config
from teahouse.deployment import build_config
from teahouse.framework import metrics
from teahouse.layout import Layout
from teahouse.rpc.channel import AttestedChannel
from teahouse.rpc.server import AttestedServer
from teahouse.tee import TeePlatform
from teahouse.tee.sim import SimPlatform, SimSecrets

log = logging.getLogger(__name__)


class StartupRefused(RuntimeError):
    """The trusted part refuses to serve (bad auditor signatures, unaudited measurement...)."""


@dataclass
class Environment:
    config: Config
    service: str
    platform: TeePlatform
    trust: TrustBundle
    verifier: Verifier
    identity: IdentityHolder
    _channels: dict[str, AttestedChannel] = field(default_factory=dict)
    _servers: list[AttestedServer] = field(default_factory=list)
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def layout(self) -> Layout:
        return Layout(self.config.home)

    @classmethod
    async def create(cls, config: Config, service: str) -> Environment:
        layout = Layout(config.home)
        try:
            trust = TrustBundle.load(layout.trust_dir)
            trust.verify_auditors()
            anchors = trust.anchors()
        except EnclaveInfoError as exc:
            raise StartupRefused(f"enclave_info cannot be trusted: {exc.message}") from None
        secrets = SimSecrets.load_or_create(layout.platform_secrets)
        custom = config.custom_services.get(service)
        platform = SimPlatform(secrets, service, build_config(trust), custom.code if custom else ())
        if anchors.enclave_info.for_service(service) != platform.measurement():
            raise StartupRefused(
                f"this {service} service's measurement {platform.measurement().mr_enclave_hex} is not the "
                "audited one in enclave_info.toml (code changed since it was signed?)"
            )
        verifier = Verifier(
            anchors,
            VerificationPolicy(
                max_report_age=timedelta(seconds=config.attestation.report_max_age_s),
                accepted_quote_statuses=config.attestation.accepted_quote_statuses,
            ),
        )
        as_client = AttestationServiceClient(config.attestation.url, trust.as_root)

        def make_identity():  # type: ignore[no-untyped-def]
            return create_identity(platform, as_client)

        first = await asyncio.to_thread(make_identity)
        return cls(config, service, platform, trust, verifier, IdentityHolder(make_identity, first))

    async def refresh_identity_forever(self) -> None:
        """Replace the RA-TLS key and report periodically, well before the report goes stale."""
        interval = self.config.attestation.refresh_interval_s
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self.identity.refresh)
                log.info("refreshed the attested identity", extra={"refreshes": self.identity.refreshed})
            except Exception:
                log.exception("could not refresh the attested identity; retrying in 30 s")
                await asyncio.sleep(30)

    def channel(self, service: str) -> AttestedChannel:
        """A mutually attested channel to ``service``'s internal endpoint (shared, reused)."""
        if service not in self._channels:
            endpoint = self.config.internal_endpoints[service].advertised
            self._channels[service] = AttestedChannel(
                endpoint.host, endpoint.port, verifier=self.verifier, accept={service}, identity=self.identity
            )
        return self._channels[service]

    def internal_server(
        self, handlers: list[object], inbound: frozenset[str] | None = None
    ) -> AttestedServer:
        """Mutual attestation: clients must be one of ``inbound`` (default: the topology's list)."""
        return AttestedServer(
            handlers,
            self.identity,
            name=f"{self.service} internal",
            verifier=self.verifier,
            inbound=topology.INBOUND[self.service] if inbound is None else inbound,
        )

    def custom_server(self, handlers: list[object]) -> AttestedServer:
        """The server of a custom service, with the attestation its ``[custom_services.NAME]`` asks for."""
        spec = self.config.custom_services[self.service]
        if spec.attestation == "mutual":
            return self.internal_server(handlers, inbound=spec.inbound)
        return self.api_server(handlers)

    def api_server(self, handlers: list[object]) -> AttestedServer:
        return AttestedServer(handlers, self.identity, name=f"{self.service} api")

    async def serve(self, server: AttestedServer, listen: Address) -> str:
        """Start ``server`` on ``listen``; the framework closes it when the service stops.

        Returns the ``host:port`` it listens on (the port is the bound one when 0 was asked).
        """
        await server.start(listen.host, listen.port)
        self._servers.append(server)
        return f"{listen.host}:{server.port}"

    def background(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run ``work`` for the life of the service; the framework cancels it when it stops."""
        task = asyncio.create_task(work, name=name)
        self._background.append(task)
        return task

    def keep_metrics_updated(self, update: Callable[[], Awaitable[None]], interval: float) -> None:
        """Refresh some gauges every ``interval`` seconds, when metrics are enabled at all."""
        if self.config.metrics.enabled:
            self.background(metrics.keep_updated(update, interval), "metrics")

    async def stop_serving(self) -> None:
        """Close every server (no new calls, running ones end), then cancel the background work."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        for server in servers:
            await server.wait_closed()
        tasks, self._background = self._background, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def close_channels(self) -> None:
        for channel in self._channels.values():
            channel.close()
        self._channels.clear()
