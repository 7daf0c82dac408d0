"""``teahouse trust export``: what a client needs to verify the platform."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from teahouse.attestation.enclave_info import verify_signatures
from teahouse.attestation.errors import AttestationError
from teahouse.attestation.trust import TrustBundle
from teahouse.cli._common import console, home_option, load_config
from teahouse.layout import Layout


@click.group("trust")
def command() -> None:
    """Trust files: the attestation root, enclave_info and the auditors' keys and signatures."""


@command.command("export")
@home_option
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
def export(home: Path | None, outdir: Path) -> None:
    """Write as_root_ca.pem, enclave_info.toml and auditors/ into OUTDIR.

    \b
    Example:
      teahouse trust export ./trust && ls ./trust
    """
    layout = Layout(load_config(home).home)
    try:
        bundle = TrustBundle.load(layout.trust_dir)
        bundle.verify_auditors()
    except AttestationError as exc:
        raise click.ClickException(
            f"{layout.trust_dir} holds no valid trust files ({exc.message}); start the platform once with "
            "`teahouse up`"
        ) from None
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(layout.as_root_ca, outdir / "as_root_ca.pem")
    shutil.copy2(layout.enclave_info, outdir / "enclave_info.toml")
    (outdir / "auditors").mkdir(exist_ok=True)
    for name in bundle.auditor_keys:
        shutil.copy2(layout.auditor_public_key(name), outdir / "auditors" / f"{name}.public.pem")
        shutil.copy2(layout.auditor_signature(name), outdir / "auditors" / f"{name}.sign.sha256")
    console.print(
        f"Wrote the trust files to [bold]{outdir}[/] (simulation root: {bundle.anchors().simulation_root})."
    )


@command.command("verify")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("-e", "--enclave-info", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-s", "--signatures", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "-p", "--public-keys", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
def verify(
    folder: Path | None,
    enclave_info: Path | None,
    signatures: tuple[Path, ...],
    public_keys: tuple[Path, ...],
) -> None:
    """Check the auditors' signatures on enclave_info: every auditor key must have signed it.

    Give a trust folder, or the files one by one as Teaclave's `teaclave_cli verify` takes them.

    \b
    Examples:
      teahouse trust verify ./trust
      teahouse trust verify -e enclave_info.toml -p godzilla.public.pem -s godzilla.sign.sha256
    """
    try:
        if folder is not None:
            TrustBundle.load(folder).verify_auditors()
        elif enclave_info is not None and signatures and public_keys:
            keys = []
            for path in public_keys:
                key = serialization.load_pem_public_key(path.read_bytes())
                if not isinstance(key, rsa.RSAPublicKey):
                    raise click.ClickException(f"{path} is not an RSA public key")
                keys.append(key)
            verify_signatures(enclave_info.read_bytes(), [s.read_bytes() for s in signatures], keys)
        else:
            raise click.UsageError(
                "give a trust FOLDER, or --enclave-info with --signatures and --public-keys"
            )
    except AttestationError as exc:
        raise click.ClickException(f"Failed to verify signatures: {exc.message}") from None
    except ValueError as exc:
        raise click.ClickException(f"Failed to verify signatures: {exc}") from None
    console.print("Verify successfully.")
