"""The one config loader: defaults, the file, overrides, and one clear message per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

from teahouse import config


def test_defaults_are_teaclaves_ports_on_loopback(tmp_path: Path) -> None:
    cfg = config.load(tmp_path)
    assert str(cfg.api_endpoints["frontend"]) == "127.0.0.1:7777"
    assert cfg.internal_endpoints["storage"].listen.port == 17778
    assert cfg.internal_endpoints["scheduler"].advertised.port == 17780
    assert cfg.execution_nodes == 2
    assert cfg.file_roots == ((tmp_path / "files").resolve(),)
    assert cfg.metrics.enabled and cfg.metrics.port_for("storage") == 0


def test_file_then_overrides(tmp_path: Path) -> None:
    (tmp_path / "teahouse.toml").write_text(tomli_w.dumps({"execution": {"nodes": 3}}))
    assert config.load(tmp_path).execution_nodes == 3
    cfg = config.load(tmp_path, dict([config.parse_override("execution.nodes=5")]))
    assert cfg.execution_nodes == 5
    key, value = config.parse_override("api_endpoints.frontend.listen_address=127.0.0.1:8777")
    assert config.load(tmp_path, {key: value}).api_endpoints["frontend"].port == 8777


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ("execution.nodes=-1", "execution.nodes"),
        ("platform.tee=sgx", "platform.tee"),
        ("attestation.refresh_interval_s=7200", "refresh_interval_s must be shorter"),
        ("internal_endpoints.storage.listen_address=nowhere", "internal_endpoints.storage.listen_address"),
        ("internal_endpoints.storage.advertised_address=localhost:1", "advertised_address"),
        ("metrics.base_port=70000", "metrics.base_port"),
        ("platform.log_level=loud", "platform.log_level"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, override: str, complaint: str) -> None:
    key, value = config.parse_override(override)
    with pytest.raises(config.ConfigError, match=complaint.replace(".", r"\.")):
        config.load(tmp_path, {key: value})


def test_metrics_ports_are_stable_per_process(tmp_path: Path) -> None:
    script = tmp_path / "svc.py"
    script.write_text("")
    settings = {
        "metrics": {"base_port": 9100},
        "custom_services": {"counter": {"script": str(script), "listen_address": "127.0.0.1:1"}},
    }
    (tmp_path / "teahouse.toml").write_text(tomli_w.dumps(settings))
    metrics = config.load(tmp_path).metrics
    assert metrics.port_for("attestation") == 9100
    assert metrics.port_for("storage") == 9101
    assert metrics.port_for("execution-2") == 9109
    assert metrics.port_for("counter") == 9164
