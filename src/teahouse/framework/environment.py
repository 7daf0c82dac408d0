"""The trusted part's environment: TEE platform, verified trust, RA-TLS identity, channels, servers.

Creating an :class:`Environment` is the trusted part's start-up: it verifies the auditors'
signatures on enclave_info (and refuses to start if they fail), checks that its own measurement
is the audited one, gets its first attested identity, and from then on hands out attested
servers and channels that all use the one verifier.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from teahouse import topology
from teahouse.attestation.client import AttestationServiceClient
from teahouse.attestation.errors import EnclaveInfoError
from teahouse.attestation.identity import IdentityHolder, create_identity
from teahouse.attestation.trust import TrustBundle
from teahouse.attestation.verify import VerificationPolicy, Verifier
from teahouse.config import Config
from teahouse.deployment import build_config
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

    def close_channels(self) -> None:
        for channel in self._channels.values():
            channel.close()
        self._channels.clear()
