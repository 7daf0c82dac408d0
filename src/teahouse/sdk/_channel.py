"""An attested channel to any Teahouse service, custom ones included."""

from __future__ import annotations

from teahouse.rpc.channel import AttestedChannel
from teahouse.sdk._connection import Address, parse_address
from teahouse.sdk._trust import Trust


def attested_channel(
    address: Address, trust: Trust, service: str, *, retry_for: float = 10.0
) -> AttestedChannel:
    """A grpclib channel to ``service`` at ``address`` that verifies the server's evidence, as
    listed in ``trust``'s enclave_info, before the first request. Use it with the generated
    ``*Stub`` classes of your own ``.proto`` (see ``examples/counter``)."""
    host, port = parse_address(address)
    return AttestedChannel(host, port, verifier=trust.verifier, accept={service}, retry_for=retry_for)
