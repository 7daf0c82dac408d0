"""``teahouse trust export``: what a client needs to verify the platform."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

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
