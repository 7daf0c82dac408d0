"""The file agent: fetches a task's inputs and stores its outputs, by URL scheme."""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult

from teahouse.crypto.files import FileCrypto, Schema, decrypt_file, encrypt_file, validate_cmac
from teahouse.fileagent import _http, _local, _urls
from teahouse.fileagent._errors import DestinationExists, InvalidURL, SourceNotFound, TransferFailed
from teahouse.fileagent._urls import Scheme

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileAgentConfig:
    """Where fusion data lives, which local folders ``file://`` URLs may reach, and how patient the
    network transfers are."""

    fusion_base_dir: Path | None = None
    #: ``file://`` URLs are refused unless they point inside one of these folders (after resolving
    #: symbolic links): a task must not read or write the node's own files.
    file_roots: tuple[Path, ...] = ()
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 4  # tries per transfer; only transient failures are retried
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    max_backoff: float = 8.0
    max_redirects: int = 10

    def __post_init__(self) -> None:
        if min(self.connect_timeout, self.read_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if self.attempts < 1 or self.backoff < 0 or self.max_backoff < 0 or self.max_redirects < 0:
            raise ValueError("attempts must be at least 1; backoff and redirects must not be negative")


class FileAgent:
    """Moves files between URLs and the local work directory.

    Downloads never overwrite a local file; ``file://`` and fusion uploads never overwrite a
    remote one. HTTPS uses the system trust store unless ``ssl_context`` says otherwise.
    """

    def __init__(
        self, config: FileAgentConfig | None = None, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self._config = config or FileAgentConfig()
        self._http = _http.HTTPSettings(
            connect_timeout=self._config.connect_timeout,
            read_timeout=self._config.read_timeout,
            ssl_context=ssl_context or ssl.create_default_context(),
            max_redirects=self._config.max_redirects,
        )

    @property
    def config(self) -> FileAgentConfig:
        return self._config

    async def fetch_input(self, url: str, crypto: FileCrypto, cmac: bytes, dest_path: Path) -> None:
        """Download an input, check its cmac and decrypt it to ``dest_path`` (which must not exist).

        The plaintext appears at ``dest_path`` only once verified. ``raw`` inputs are copied as
        they are, without a check, as in Teaclave. Integrity failures raise ``FileCryptoError``.
        """
        dest_path = Path(dest_path)
        shown = _urls.redact(url)
        if crypto.schema is not Schema.RAW:
            validate_cmac(cmac)
        if dest_path.exists():
            raise DestinationExists(shown, f"refusing to overwrite existing file {dest_path}")
        dest_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryDirectory(dir=dest_path.parent, prefix=".fetch-") as tmp:
            cipher = Path(tmp) / "ciphertext"
            await self.download(url, cipher)
            if crypto.schema is Schema.RAW:
                await asyncio.to_thread(_local.publish, cipher, dest_path, shown)
                return
            plain = Path(tmp) / "plaintext"
            name = _urls.basename(url)
            await asyncio.to_thread(decrypt_file, crypto, cipher, plain, cmac=cmac, name=name)
            await asyncio.to_thread(_local.publish, plain, dest_path, shown)

    async def store_output(self, src_plain_path: Path, url: str, crypto: FileCrypto) -> bytes:
        """Encrypt a plaintext output with ``crypto``, upload it to ``url`` and return its cmac.

        A teaclave-file-128 output is bound to the URL's last path segment, the name Teaclave
        will open it under. ``raw`` outputs are refused (``UnsupportedSchema``), as in Teaclave.
        """
        src_plain_path = Path(src_plain_path)
        shown = _urls.redact(url)
        self._check_upload_url(url)
        if not src_plain_path.is_file():
            raise SourceNotFound(shown, f"output file {src_plain_path} does not exist")
        with tempfile.TemporaryDirectory(dir=src_plain_path.parent, prefix=".store-") as tmp:
            cipher = Path(tmp) / "ciphertext"
            name = _urls.basename(url)
            cmac = await asyncio.to_thread(encrypt_file, crypto, src_plain_path, cipher, name=name)
            await self.upload(cipher, url)
        return cmac

    async def download(self, url: str, dest: Path) -> None:
        """Fetch ``url`` byte for byte into the new file ``dest``."""
        dest = Path(dest)
        scheme, parts = _urls.parse(url)
        shown = _urls.redact(url)
        if dest.exists():
            raise DestinationExists(shown, f"refusing to overwrite existing file {dest}")
        if scheme is Scheme.DATA:
            await asyncio.to_thread(_local.write_new, _urls.data_bytes(url), dest, shown)
        elif scheme is Scheme.FILE:
            src = _urls.file_path(url, parts, self._config.file_roots)
            await asyncio.to_thread(_local.copy_new, src, dest, shown)
        elif scheme is Scheme.FUSION:
            src = _urls.fusion_path(url, parts, self._config.fusion_base_dir)
            await asyncio.to_thread(_local.copy_new, src, dest, shown)
        else:
            tmp = await asyncio.to_thread(_local.staging_file, dest)
            try:
                await self._retrying(shown, lambda: self._get_into(url, tmp))
                await asyncio.to_thread(_local.publish, tmp, dest, shown)
            finally:
                tmp.unlink(missing_ok=True)

    async def upload(self, src: Path, url: str) -> None:
        """Send the local file ``src`` to ``url`` byte for byte."""
        src = Path(src)
        scheme, parts = self._check_upload_url(url)
        shown = _urls.redact(url)
        if not src.is_file():
            raise SourceNotFound(shown, f"local file {src} does not exist")
        if scheme is Scheme.FILE:
            dest = _urls.file_path(url, parts, self._config.file_roots)
            await asyncio.to_thread(_local.copy_new, src, dest, shown)
        elif scheme is Scheme.FUSION:
            dest = _urls.fusion_path(url, parts, self._config.fusion_base_dir)
            await asyncio.to_thread(_local.copy_new, src, dest, shown, make_parents=True)
        else:
            await self._retrying(shown, lambda: _http.put(src, url, self._http))

    def _check_upload_url(self, url: str) -> tuple[Scheme, SplitResult]:
        scheme, parts = _urls.parse(url)
        if scheme is Scheme.DATA:
            raise InvalidURL(_urls.redact(url), "data URLs can only be read")
        if scheme is Scheme.FUSION:
            _urls.fusion_path(url, parts, self._config.fusion_base_dir)
        if scheme is Scheme.FILE:
            _urls.file_path(url, parts, self._config.file_roots)
        return scheme, parts

    def _get_into(self, url: str, tmp: Path) -> None:
        with open(tmp, "wb") as f:  # truncates what a failed attempt left
            _http.get(url, f, self._http)

    async def _retrying(self, shown: str, attempt: Callable[[], None]) -> None:
        """Run a blocking transfer in a thread, retrying transient failures with backoff."""
        attempts = self._config.attempts
        for number in range(1, attempts + 1):
            try:
                await asyncio.to_thread(attempt)
                return
            except TransferFailed as e:
                if not e.transient or number == attempts:
                    if e.transient and attempts > 1:
                        e.gave_up_after(attempts)
                    raise
                delay = min(self._config.max_backoff, self._config.backoff * 2 ** (number - 1))
                delay *= random.uniform(0.5, 1.0)
                log.warning(
                    "transfer of %s failed (%s); retry %d/%d in %.1f s",
                    shown,
                    e.cause,
                    number,
                    attempts - 1,
                    delay,
                )
                await asyncio.sleep(delay)
