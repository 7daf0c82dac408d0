"""A small HTTP file server for tests and tutorials: GET and PUT over a directory.

::

    with FileServer(root) as srv:
        url = srv.url("inputs/a.enc")   # http://127.0.0.1:<port>/inputs/a.enc

GET serves a file (404 if missing); PUT writes one (creating directories, replacing an existing
file atomically) and replies 200, like a presigned S3 URL. ``fail_next`` makes the next
requests fail with a chosen status, to exercise retries. Pass a server ``ssl_context`` for HTTPS.
Not for production: no authentication, loopback only.
"""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

_CHUNK = 1 << 20


class FileServer:
    """Serves ``root`` on a free loopback port from a background thread."""

    def __init__(self, root: Path | str, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.root = Path(root).resolve()
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request, in order
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._ssl_context = ssl_context
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FileServer is not running")
        return int(self._httpd.server_address[1])

    def url(self, relative: str = "") -> str:
        """The URL of ``relative`` (a path under the root, ``/``-separated, not yet quoted)."""
        scheme = "https" if self._ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}/{quote(relative.lstrip('/'))}"

    def fail_next(self, count: int, status: int = 503) -> None:
        """Answer the next ``count`` requests with ``status`` and an empty body."""
        with self._lock:
            self._failures.extend([status] * count)

    def start(self) -> FileServer:
        handler = type("_Handler", (_Handler,), {"server_state": self})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        if self._ssl_context is not None:
            httpd.socket = self._ssl_context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="FileServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> FileServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _local_path(self, url_path: str) -> Path | None:
        parts = [unquote(p) for p in urlsplit(url_path).path.split("/") if p]
        if not parts or any(p in (".", "..") or "/" in p or "\0" in p for p in parts):
            return None
        return self.root.joinpath(*parts)


class _Handler(http.server.BaseHTTPRequestHandler):
    server_state: FileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # tests stay quiet

    def _start(self) -> Path | None:
        state = self.server_state
        with state._lock:
            state.requests.append((self.command, self.path))
        status = state._take_failure()
        if status is not None:
            self._reply(status)
            return None
        path = state._local_path(self.path)
        if path is None:
            self._reply(400)
        return path

    def _reply(self, status: int, length: int = 0) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self) -> None:
        path = self._start()
        if path is None:
            return
        if not path.is_file():
            self._reply(404)
            return
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            shutil.copyfileobj(f, self.wfile, _CHUNK)

    def do_PUT(self) -> None:
        path = self._start()
        if path is None:
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._reply(411)
            self.close_connection = True
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".upload")
        try:
            with os.fdopen(fd, "wb") as f:
                remaining = int(length)
                while remaining:
                    chunk = self.rfile.read(min(remaining, _CHUNK))
                    if not chunk:
                        raise ConnectionError("client closed the connection before sending its body")
                    f.write(chunk)
                    remaining -= len(chunk)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        self._reply(200)
