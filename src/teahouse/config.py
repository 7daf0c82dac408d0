"""The one config loader: embedded defaults, then ``<home>/teahouse.toml``, then overrides.

The file has Teaclave's sections (``api_endpoints``, ``internal_endpoints``, ``attestation``,
``mount``) plus Teahouse's own; every value can be overridden with a dotted key, for example
``internal_endpoints.storage.listen_address=127.0.0.1:27778`` (``teahouse up -o KEY=VALUE``).
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from teahouse import topology

CONFIG_FILE = "teahouse.toml"
CUSTOM_METRICS_INDEX = 64


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and what is wrong."""


def default_home() -> Path:
    """``$TEAHOUSE_HOME``, else ``$XDG_DATA_HOME/teahouse``, else ``~/.local/share/teahouse``."""
    if env := os.environ.get("TEAHOUSE_HOME"):
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "teahouse"


def default_settings() -> dict[str, Any]:
    """The embedded defaults, as the TOML document they correspond to."""
    return {
        "platform": {"tee": "sim", "log_level": "info"},
        "attestation": {
            "listen_address": f"127.0.0.1:{topology.ATTESTATION_SERVICE_PORT}",
            "url": f"https://127.0.0.1:{topology.ATTESTATION_SERVICE_PORT}",
            "report_max_age_s": 3600.0,
            "refresh_interval_s": 1800.0,
            "accepted_quote_statuses": ["OK"],
        },
        "api_endpoints": {
            name: {"listen_address": f"127.0.0.1:{port}"} for name, port in topology.API_PORTS.items()
        },
        "internal_endpoints": {
            name: {
                "listen_address": f"127.0.0.1:{port}",
                "advertised_address": f"https://localhost:{port}",
            }
            for name, port in topology.INTERNAL_PORTS.items()
        },
        "execution": {"nodes": 2, "file_roots": []},
        "mount": {"fusion_base_dir": ""},
        "storage": {"path": ""},
        "metrics": {"enabled": True, "host": "127.0.0.1", "base_port": 0},
    }


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class InternalEndpoint:
    listen: Address
    advertised: Address


@dataclass(frozen=True)
class AttestationConfig:
    listen: Address
    url: str
    report_max_age_s: float
    refresh_interval_s: float
    accepted_quote_statuses: frozenset[str]


@dataclass(frozen=True)
class CustomServiceConfig:
    """A service built with ``teahouse.framework`` and run by ``teahouse up`` (``[custom_services.NAME]``)."""

    name: str
    script: Path
    #: What is measured into the service's ``mr_enclave`` besides Teahouse's shared packages.
    code: tuple[Path, ...]
    #: ``one-way``: clients verify the service; ``mutual``: the service also verifies its clients.
    attestation: str
    inbound: frozenset[str]
    listen: Address


@dataclass(frozen=True)
class MetricsConfig:
    enabled: bool
    host: str
    #: 0: every process picks a free port; otherwise ``base_port + index of the process``.
    base_port: int
    #: Custom services, in the order their metrics ports follow the built-in processes' (from 64).
    custom_services: tuple[str, ...] = ()

    def port_for(self, process: str) -> int:
        if self.base_port == 0:
            return 0
        if process in self.custom_services:
            return self.base_port + CUSTOM_METRICS_INDEX + self.custom_services.index(process)
        return self.base_port + topology.process_index(process)


@dataclass(frozen=True)
class Config:
    home: Path
    tee: str
    log_level: str
    attestation: AttestationConfig
    api_endpoints: Mapping[str, Address]
    internal_endpoints: Mapping[str, InternalEndpoint]
    execution_nodes: int
    #: The only local folders that ``file://`` URLs of tasks may reach (default ``<home>/files``).
    file_roots: tuple[Path, ...]
    fusion_base_dir: Path
    storage_path: Path
    metrics: MetricsConfig
    custom_services: Mapping[str, CustomServiceConfig]
    raw: Mapping[str, Any]

    def to_toml(self) -> str:
        return tomli_w.dumps(dict(self.raw))


def parse_address(value: object, key: str) -> Address:
    if not isinstance(value, str) or ":" not in value:
        raise ConfigError(f"{key}: expected 'host:port', got {value!r}")
    host, _, port_text = value.rpartition(":")
    host = host.strip("[]")
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(f"{key}: port {port_text!r} is not a number") from None
    if not 0 <= port <= 65535 or not host:
        raise ConfigError(f"{key}: {value!r} is not a valid address")
    return Address(host, port)


def _parse_url_address(value: object, key: str) -> Address:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected a URL string, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.port is None:
        raise ConfigError(f"{key}: expected 'https://host:port', got {value!r}")
    return Address(parts.hostname, parts.port)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def _apply_override(settings: dict[str, Any], dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    node = settings
    for part in path:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{dotted}: {part!r} is not a section")
        node = child
    node[last] = value


def parse_override(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` where VALUE is read as TOML if it can be (numbers, booleans, lists)."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ConfigError(f"override {text!r}: expected KEY=VALUE")
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key.strip(), parsed


def load(home: Path | None = None, overrides: Mapping[str, Any] | None = None) -> Config:
    """Build the configuration of the deployment in ``home``."""
    home = (home or default_home()).expanduser().resolve()
    settings = default_settings()
    file = home / CONFIG_FILE
    if file.exists():
        try:
            _merge(settings, tomllib.loads(file.read_text()))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: {exc}") from None
    for key, value in (overrides or {}).items():
        _apply_override(settings, key, value)
    return _validate(home, settings)


def _section(settings: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = settings.get(name)
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _validate(home: Path, settings: dict[str, Any]) -> Config:
    platform = _section(settings, "platform")
    tee = platform.get("tee")
    if tee != "sim":
        raise ConfigError(f"platform.tee: only the 'sim' backend is available here, got {tee!r}")
    att = _section(settings, "attestation")
    try:
        max_age = float(att["report_max_age_s"])
        refresh = float(att["refresh_interval_s"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"attestation: bad report_max_age_s / refresh_interval_s ({exc})") from None
    if max_age <= 0 or refresh <= 0:
        raise ConfigError("attestation.report_max_age_s and refresh_interval_s must be positive")
    if refresh >= max_age:
        raise ConfigError("attestation.refresh_interval_s must be shorter than report_max_age_s")
    statuses = att.get("accepted_quote_statuses")
    if not isinstance(statuses, list) or not all(isinstance(s, str) for s in statuses) or not statuses:
        raise ConfigError("attestation.accepted_quote_statuses must be a non-empty list of strings")
    _parse_url_address(att.get("url"), "attestation.url")
    attestation = AttestationConfig(
        listen=parse_address(att.get("listen_address"), "attestation.listen_address"),
        url=str(att["url"]),
        report_max_age_s=max_age,
        refresh_interval_s=refresh,
        accepted_quote_statuses=frozenset(statuses),
    )

    api_section = _section(settings, "api_endpoints")
    api: dict[str, Address] = {}
    for name in topology.API_PORTS:
        entry = api_section.get(name)
        if not isinstance(entry, Mapping):
            raise ConfigError(f"[api_endpoints.{name}] is missing")
        api[name] = parse_address(entry.get("listen_address"), f"api_endpoints.{name}.listen_address")

    internal_section = _section(settings, "internal_endpoints")
    internal: dict[str, InternalEndpoint] = {}
    for name in topology.INTERNAL_PORTS:
        entry = internal_section.get(name)
        if not isinstance(entry, Mapping):
            raise ConfigError(f"[internal_endpoints.{name}] is missing")
        key = f"internal_endpoints.{name}"
        internal[name] = InternalEndpoint(
            listen=parse_address(entry.get("listen_address"), f"{key}.listen_address"),
            advertised=_parse_url_address(entry.get("advertised_address"), f"{key}.advertised_address"),
        )

    execution = _section(settings, "execution")
    roots = execution.get("file_roots") or [str(home / "files")]
    if not isinstance(roots, list) or not all(isinstance(r, str) and r for r in roots):
        raise ConfigError("execution.file_roots must be a list of folder paths")
    nodes = execution.get("nodes")
    if not isinstance(nodes, int) or nodes < 0:
        raise ConfigError(f"execution.nodes must be a non-negative integer, got {nodes!r}")
    fusion = str(_section(settings, "mount").get("fusion_base_dir") or "") or str(home / "fusion")
    storage = str(_section(settings, "storage").get("path") or "") or str(home / "data" / "storage.sqlite")
    metrics_section = _section(settings, "metrics")
    base_port = metrics_section.get("base_port", 0)
    if not isinstance(base_port, int) or not 0 <= base_port < 65000:
        raise ConfigError(f"metrics.base_port must be 0 or a port number, got {base_port!r}")
    metrics = MetricsConfig(
        enabled=bool(metrics_section.get("enabled", True)),
        host=str(metrics_section.get("host", "127.0.0.1")),
        base_port=base_port,
        custom_services=tuple(sorted(settings.get("custom_services") or {})),
    )
    custom = {
        name: _custom_service(home, name, entry)
        for name, entry in (settings.get("custom_services") or {}).items()
    }
    log_level = str(platform.get("log_level", "info")).lower()
    if log_level not in ("debug", "info", "warning", "error"):
        raise ConfigError(f"platform.log_level: expected debug/info/warning/error, got {log_level!r}")
    return Config(
        home=home,
        tee=str(tee),
        log_level=log_level,
        attestation=attestation,
        api_endpoints=api,
        internal_endpoints=internal,
        execution_nodes=nodes,
        file_roots=tuple((home / r).resolve() for r in roots),
        fusion_base_dir=Path(fusion),
        storage_path=Path(storage),
        metrics=metrics,
        custom_services=custom,
        raw=settings,
    )


def _custom_service(home: Path, name: str, entry: object) -> CustomServiceConfig:
    key = f"custom_services.{name}"
    if not topology.valid_service_name(name) or name in topology.SERVICES:
        raise ConfigError(
            f"{key}: the name must be lower-case letters, digits and _ and not a built-in service"
        )
    if not isinstance(entry, Mapping):
        raise ConfigError(f"[{key}] must be a table")
    script = entry.get("script")
    if not isinstance(script, str) or not script:
        raise ConfigError(f"{key}.script: the Python file that runs the service is required")
    script_path = (home / script).resolve()
    if not script_path.is_file():
        raise ConfigError(f"{key}.script: {script_path} does not exist")
    code = entry.get("code", [str(script_path.parent)])
    if not isinstance(code, list) or not all(isinstance(c, str) for c in code):
        raise ConfigError(f"{key}.code must be a list of paths")
    attestation = entry.get("attestation", "one-way")
    if attestation not in ("one-way", "mutual"):
        raise ConfigError(f"{key}.attestation must be 'one-way' or 'mutual', got {attestation!r}")
    inbound = entry.get("inbound", [])
    if not isinstance(inbound, list) or not all(isinstance(i, str) for i in inbound):
        raise ConfigError(f"{key}.inbound must be a list of service names")
    return CustomServiceConfig(
        name=name,
        script=script_path,
        code=tuple((home / c).resolve() for c in code),
        attestation=attestation,
        inbound=frozenset(inbound),
        listen=parse_address(entry.get("listen_address"), f"{key}.listen_address"),
    )
