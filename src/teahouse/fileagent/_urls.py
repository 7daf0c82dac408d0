"""Parsing of the URLs a file may live at (pure, no I/O)."""

from __future__ import annotations

import base64
import binascii
import enum
from pathlib import Path, PurePosixPath
from urllib.parse import SplitResult, unquote, unquote_to_bytes, urlsplit

from teahouse.fileagent._errors import InvalidURL

FUSION_PREFIX = "/TEACLAVE_FUSION_BASE/"


class Scheme(enum.StrEnum):
    FILE = "file"
    HTTP = "http"
    HTTPS = "https"
    DATA = "data"
    FUSION = "fusion"


def redact(url: str) -> str:
    """The URL as it may appear in messages and logs: no credentials, query or inline data.

    Presigned URLs carry their signature in the query, and data URLs carry the data itself.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<malformed URL>"
    if parts.scheme.lower() == Scheme.DATA:
        header, _, payload = url.split(":", 1)[1].partition(",")
        return f"data:{header},<{len(payload)} characters>"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if _port_ok(parts) and parts.port is not None:
        host = f"{host}:{parts.port}"
    query = "?…" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{query}"


def _port_ok(parts: SplitResult) -> bool:
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return True


def parse(url: str) -> tuple[Scheme, SplitResult]:
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise InvalidURL(redact(url), f"malformed URL ({e})") from None
    try:
        scheme = Scheme(parts.scheme.lower())
    except ValueError:
        shown = parts.scheme or "(none)"
        raise InvalidURL(
            redact(url), f"unsupported URL scheme {shown!r} (supported: file, http, https, data, fusion)"
        ) from None
    if scheme in (Scheme.HTTP, Scheme.HTTPS):
        if not parts.hostname:
            raise InvalidURL(redact(url), "URL has no host")
        if not _port_ok(parts):
            raise InvalidURL(redact(url), "URL has an invalid port")
    return scheme, parts


def basename(url: str) -> str:
    """Last segment of the URL's path as written (percent-encoding kept), as Teaclave names files."""
    return urlsplit(url).path.rsplit("/", 1)[-1]


def file_path(url: str, parts: SplitResult, roots: tuple[Path, ...]) -> Path:
    """The local path of a ``file://`` URL, which must lie inside one of ``roots`` once symbolic
    links are resolved (the file's folder for a file that does not exist yet)."""
    if parts.netloc not in ("", "localhost"):
        raise InvalidURL(redact(url), f"file URL on another host {parts.netloc!r}")
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        raise InvalidURL(redact(url), "file URL path must be absolute")
    real = path.resolve() if path.exists() else path.parent.resolve() / path.name
    if not any(real.is_relative_to(root.resolve()) for root in roots):
        allowed = ", ".join(str(r) for r in roots) or "none are configured"
        raise InvalidURL(redact(url), f"file URLs must point inside the folders this node shares ({allowed})")
    return real


def fusion_path(url: str, parts: SplitResult, fusion_base: Path | None) -> Path:
    """``fusion:///TEACLAVE_FUSION_BASE/<rel>`` → ``<fusion_base>/<rel>``, never outside the base."""
    if fusion_base is None:
        raise InvalidURL(redact(url), "fusion URLs need a fusion base directory, and none is configured")
    if parts.netloc or not parts.path.startswith(FUSION_PREFIX):
        raise InvalidURL(redact(url), f"fusion URL must be fusion://{FUSION_PREFIX}<path>")
    rel = PurePosixPath(unquote(parts.path[len(FUSION_PREFIX) :]))
    segments = str(rel).split("/")
    if str(rel) in ("", ".") or any(s in ("", ".", "..") for s in segments) or rel.is_absolute():
        raise InvalidURL(redact(url), "fusion path must be a relative path without '.' or '..' segments")
    return fusion_base.joinpath(*segments)


def data_bytes(url: str) -> bytes:
    """Decode ``data:[<media type>][;base64],<data>`` (everything up to a ``#`` is data)."""
    body = url.split(":", 1)[1].split("#", 1)[0]
    header, comma, payload = body.partition(",")
    if not comma:
        raise InvalidURL(redact(url), "data URL has no ',' before its data")
    raw = unquote_to_bytes(payload)
    if not header.lower().endswith(";base64"):
        return raw
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error as e:
        raise InvalidURL(redact(url), f"data URL is not valid base64 ({e})") from None
