"""Loading a trust folder: every way it can be unusable is refused, naming the file at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from teahouse.sdk import Trust, TrustError

from .conftest import World


def test_an_exported_folder_loads(world: World) -> None:
    trust = Trust.load(world.trust_dir)
    assert trust.simulated
    assert "simulated" in repr(trust) and str(world.trust_dir) in repr(trust)
    assert Trust.load(str(world.trust_dir)).simulated


def test_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(TrustError, match="does not exist") as info:
        Trust.load(tmp_path / "nowhere")
    assert info.value.path == str(tmp_path / "nowhere")


@pytest.mark.parametrize("name", ["as_root_ca.pem", "enclave_info.toml"])
def test_a_missing_file(world: World, name: str) -> None:
    folder = world.copy_trust(f"missing-{name}")
    (folder / name).unlink()
    with pytest.raises(TrustError, match=f"lacks {name}") as info:
        Trust.load(folder)
    assert info.value.path == str(folder / name)


def test_a_root_that_is_not_a_certificate(world: World) -> None:
    folder = world.copy_trust("bad-root")
    (folder / "as_root_ca.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
    )
    with pytest.raises(TrustError, match=r"as_root_ca\.pem"):
        Trust.load(folder)


def test_no_auditors(world: World) -> None:
    folder = world.copy_trust("no-auditors")
    for path in (folder / "auditors").iterdir():
        path.unlink()
    with pytest.raises(TrustError, match="no auditor public keys"):
        Trust.load(folder)


def test_an_auditor_without_signature(world: World) -> None:
    folder = world.copy_trust("unsigned")
    (folder / "auditors" / "optimus.sign.sha256").unlink()
    with pytest.raises(TrustError, match=r"optimus\.sign\.sha256 is missing") as info:
        Trust.load(folder)
    assert info.value.path.endswith("optimus.sign.sha256")


def test_a_bad_auditor_signature_names_the_file(world: World) -> None:
    folder = world.copy_trust("bad-signature")
    signature = folder / "auditors" / "godzilla.sign.sha256"
    signature.write_bytes(bytes(len(signature.read_bytes())))
    with pytest.raises(TrustError, match=r"godzilla\.sign\.sha256 is not 'godzilla'") as info:
        Trust.load(folder)
    assert info.value.path == str(signature)


def test_a_tampered_enclave_info_fails_every_signature(world: World) -> None:
    folder = world.copy_trust("tampered")
    info_file = folder / "enclave_info.toml"
    text = info_file.read_text()
    first_hex = text.split('mr_enclave = "')[1][:64]
    info_file.write_text(text.replace(first_hex, "0" * 64, 1))
    with pytest.raises(TrustError, match=r"sign\.sha256 is not"):
        Trust.load(folder)


def test_a_signed_but_malformed_enclave_info(world: World) -> None:
    from .conftest import write_trust_folder

    folder = write_trust_folder(
        world.scratch / "malformed",
        world.root_pem,
        b"[teaclave_frontend_service]\nmr_enclave = 1\n",
        world.auditors,
    )
    with pytest.raises(TrustError, match="mr_enclave and mr_signer") as info:
        Trust.load(folder)
    assert info.value.path.endswith("enclave_info.toml")
