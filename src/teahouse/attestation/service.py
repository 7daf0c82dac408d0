"""The attestation service process (``python -m teahouse.attestation.service``).

It is not a TEE service: it stands in for Intel's attestation service, holds the deployment's
report signing key, and serves the IAS-shaped HTTPS API on loopback.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import sys
from collections.abc import Sequence

from cryptography.hazmat.primitives import serialization

from teahouse import config as config_mod
from teahouse.attestation.authority import AttestationAuthority
from teahouse.attestation.http_api import AttestationHTTPServer
from teahouse.framework import logs
from teahouse.framework.app import load_config, parse_args, serve_until_signalled
from teahouse.layout import Layout
from teahouse.rpc.tls import load_cert_chain_in_memory
from teahouse.tee.sim import SimSecrets

PROCESS = "attestation"
log = logging.getLogger(__name__)


def tls_context(authority: AttestationAuthority) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    key_pem = authority.signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in authority.chain)
    load_cert_chain_in_memory(ctx, chain_pem, key_pem)
    return ctx


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Teahouse attestation service (simulation)")
    try:
        config = load_config(args)
    except config_mod.ConfigError as exc:
        print(f"teahouse attestation: configuration error: {exc}", file=sys.stderr)
        return 2
    logs.configure(PROCESS, config.log_level)
    layout = Layout(config.home)
    SimSecrets.load_or_create(layout.platform_secrets)
    authority = AttestationAuthority.load_or_create(layout)
    listen = config.attestation.listen
    server = AttestationHTTPServer(authority, listen.host, listen.port, tls_context(authority))

    async def start() -> dict[str, str]:
        server.start()
        return {"attestation": f"https://{listen.host}:{server.port}"}

    async def finalize() -> None:
        await asyncio.to_thread(server.stop)

    log.info("attestation service, root %s", authority.chain[-1].subject.rfc4514_string())
    asyncio.run(serve_until_signalled(PROCESS, config, start, finalize))
    return 0


if __name__ == "__main__":
    sys.exit(main())
