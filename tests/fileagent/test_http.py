"""http(s) GET and PUT against real loopback servers: retries, permanent errors, timeouts, TLS."""

import datetime
import http.server
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from teahouse.fileagent import (
    FileAgent,
    FileAgentConfig,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    TransferFailed,
    TransferTimeout,
)
from teahouse.testing.fileserver import FileServer


async def test_get_and_put(agent: FileAgent, server: FileServer, work: Path) -> None:
    (server.root / "dir").mkdir()
    (server.root / "dir" / "in.bin").write_bytes(b"remote bytes")
    await agent.download(server.url("dir/in.bin"), work / "in.bin")
    assert (work / "in.bin").read_bytes() == b"remote bytes"

    await agent.upload(work / "in.bin", server.url("up/out.bin"))
    assert (server.root / "up" / "out.bin").read_bytes() == b"remote bytes"
    # PUT replaces, as object stores do.
    (work / "v2").write_bytes(b"second version")
    await agent.upload(work / "v2", server.url("up/out.bin"))
    assert (server.root / "up" / "out.bin").read_bytes() == b"second version"


async def test_query_strings_are_sent(agent: FileAgent, server: FileServer, work: Path) -> None:
    (server.root / "f").write_bytes(b"x")
    await agent.download(server.url("f") + "?X-Amz-Signature=abc", work / "f")
    assert server.requests == [("GET", "/f?X-Amz-Signature=abc")]


async def test_get_retries_transient_failures(agent: FileAgent, server: FileServer, work: Path) -> None:
    (server.root / "f").write_bytes(b"eventually")
    server.fail_next(2, 503)
    await agent.download(server.url("f"), work / "f")
    assert (work / "f").read_bytes() == b"eventually"
    assert server.requests == [("GET", "/f")] * 3


async def test_put_retries_transient_failures(agent: FileAgent, server: FileServer, work: Path) -> None:
    (work / "f").write_bytes(b"data")
    server.fail_next(2, 502)
    await agent.upload(work / "f", server.url("f"))
    assert (server.root / "f").read_bytes() == b"data"
    assert [m for m, _ in server.requests] == ["PUT"] * 3


async def test_retries_give_up(agent: FileAgent, server: FileServer, work: Path) -> None:
    server.fail_next(5, 500)
    with pytest.raises(HTTPStatusError) as info:
        await agent.download(server.url("f"), work / "f")
    assert info.value.status == 500 and info.value.transient
    assert str(info.value).endswith("GET returned HTTP 500 Internal Server Error (gave up after 3 attempts)")
    assert len(server.requests) == 3
    assert not (work / "f").exists() and list(work.iterdir()) == []


async def test_404_is_permanent(agent: FileAgent, server: FileServer, work: Path) -> None:
    with pytest.raises(HTTPStatusError) as info:
        await agent.download(server.url("missing.enc"), work / "f")
    assert str(info.value) == f"{server.url('missing.enc')}: GET returned HTTP 404 Not Found"
    assert not info.value.transient
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [200, 201, 204])
async def test_put_success_statuses(status: int, agent: FileAgent, server: FileServer, work: Path) -> None:
    (work / "f").write_bytes(b"x")
    if status != 200:
        server.fail_next(1, status)  # answered without storing: only the status matters here
    await agent.upload(work / "f", server.url("f"))


@pytest.mark.parametrize("status", [202, 301, 403, 413])
async def test_put_other_statuses_fail(status: int, agent: FileAgent, server: FileServer, work: Path) -> None:
    (work / "f").write_bytes(b"x")
    server.fail_next(1, status)
    with pytest.raises(HTTPStatusError, match=f"PUT returned HTTP {status}"):
        await agent.upload(work / "f", server.url("f"))
    assert len(server.requests) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_connection_refused_is_retried(agent: FileAgent, work: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/f"
    with pytest.raises(NetworkError) as info:
        await agent.download(url, work / "f")
    assert str(info.value) == f"{url}: connection refused (gave up after 3 attempts)"


async def test_read_timeout(work: Path) -> None:
    agent = FileAgent(FileAgentConfig(connect_timeout=2, read_timeout=0.2, attempts=2, backoff=0.01))
    with socket.socket() as silent:  # accepts connections (kernel backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        with pytest.raises(TransferTimeout) as info:
            await agent.download(url, work / "f")
    assert info.value.transient
    assert (
        str(info.value) == f"{url}: timed out after 0.2 s waiting for the response (gave up after 2 attempts)"
    )


@pytest.fixture
def redirector(server: FileServer) -> Iterator[str]:
    """``/hop/<n>`` redirects n times, then to the file server's ``/f``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hops = int(self.path.rsplit("/", 1)[1])
            location = f"/hop/{hops - 1}" if hops else server.url("f")
            self.send_response(302 if hops % 2 else 307)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


async def test_redirects_are_followed(
    agent: FileAgent, server: FileServer, redirector: str, work: Path
) -> None:
    (server.root / "f").write_bytes(b"moved")
    await agent.download(f"{redirector}/hop/3", work / "f")
    assert (work / "f").read_bytes() == b"moved"
    with pytest.raises(TransferFailed, match="more than 10 redirects"):
        await agent.download(f"{redirector}/hop/11", work / "g")


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "teahouse test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    tmp = tmp_path_factory.mktemp("tls")
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return tmp / "cert.pem", tmp / "key.pem"


@pytest.fixture
def https_server(tls_files: tuple[Path, Path], tmp_path: Path) -> Iterator[FileServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    root = tmp_path / "tls-root"
    root.mkdir()
    with FileServer(root, ssl_context=context) as srv:
        yield srv


async def test_https_uses_the_system_trust_store_by_default(https_server: FileServer, work: Path) -> None:
    (https_server.root / "f").write_bytes(b"secret")
    agent = FileAgent(FileAgentConfig(attempts=3, backoff=0.01))
    with pytest.raises(NetworkError, match="TLS certificate verification failed") as info:
        await agent.download(https_server.url("f"), work / "f")
    assert not info.value.transient  # a certificate problem is not retried


async def test_https_with_a_trusted_certificate(
    https_server: FileServer, tls_files: tuple[Path, Path], work: Path
) -> None:
    (https_server.root / "f").write_bytes(b"secret")
    agent = FileAgent(ssl_context=ssl.create_default_context(cafile=str(tls_files[0])))
    await agent.download(https_server.url("f"), work / "f")
    assert (work / "f").read_bytes() == b"secret"
    await agent.upload(work / "f", https_server.url("copy"))
    assert (https_server.root / "copy").read_bytes() == b"secret"


async def test_bad_http_urls(agent: FileAgent, work: Path) -> None:
    with pytest.raises(InvalidURL, match="URL has no host"):
        await agent.download("http:///x", work / "f")


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="timeouts"):
        FileAgentConfig(read_timeout=0)
    with pytest.raises(ValueError, match="attempts"):
        FileAgentConfig(attempts=0)
