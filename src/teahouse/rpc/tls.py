"""TLS settings of attested endpoints (spec/wire.md §0): TLS 1.2+, ECDHE with AES-GCM or
ChaCha20, ALPN ``h2``; client certificates requested only on internal endpoints."""

from __future__ import annotations

import os
import ssl
from typing import Any

from OpenSSL import SSL

from teahouse.attestation.identity import RaTlsIdentity

CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


def _select_h2(conn: SSL.Connection, offered: list[bytes]) -> Any:
    return b"h2" if b"h2" in offered else SSL.NO_OVERLAPPING_PROTOCOLS


def server_context(identity: RaTlsIdentity, *, request_client_certificate: bool) -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    ctx.set_options(SSL.OP_NO_COMPRESSION | SSL.OP_CIPHER_SERVER_PREFERENCE | SSL.OP_NO_RENEGOTIATION)
    ctx.set_cipher_list(CIPHERS.encode())
    ctx.use_certificate(identity.certificate)
    ctx.use_privatekey(identity.key)
    ctx.check_privatekey()
    ctx.set_alpn_select_callback(_select_h2)
    if request_client_certificate:
        # Accept any chain in the handshake: the RA-TLS evidence is verified in code right after.
        ctx.set_verify(SSL.VERIFY_PEER, lambda *_: True)
    return ctx


def client_context(identity: RaTlsIdentity | None = None) -> ssl.SSLContext:
    """An unverifying stdlib context: the server is verified by its evidence after the handshake."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(CIPHERS)
    ctx.set_alpn_protocols(["h2"])
    if identity is not None:
        load_cert_chain_in_memory(ctx, identity.certificate_pem, identity.key_pem)
    return ctx


def load_cert_chain_in_memory(ctx: ssl.SSLContext, chain_pem: bytes, key_pem: bytes) -> None:
    """``load_cert_chain`` only takes paths; an anonymous memory file keeps the key off the disk."""
    fd = os.memfd_create("tls-identity", os.MFD_CLOEXEC)
    try:
        os.write(fd, chain_pem + key_pem)
        ctx.load_cert_chain(f"/proc/self/fd/{fd}")
    finally:
        os.close(fd)
