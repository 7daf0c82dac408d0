"""``teahouse attest HOST:PORT``: what a server's attestation says, verified against a trust folder."""

from __future__ import annotations

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._output import (
    EXIT_CODES_HELP,
    AttestationRefused,
    Command,
    emit_json,
    fields,
    iso,
    json_option,
    say,
    seconds,
    show,
)
from teahouse.sdk import AttestationFailedError, ServerReport, attest, read_report

UNVERIFIED_WARNING = (
    "WARNING: NOT VERIFIED. No trust folder was given, so nothing below has been checked: anyone "
    "can serve these values. Pass --trust DIR before sending this server anything."
)


@click.command("attest", cls=Command, epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="HOST:PORT")
@click.option(
    "--service",
    metavar="NAME",
    help="The service it must be (authentication, frontend, ...); default: any audited service.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds.")
@connection_options
@json_option
def command(conn: Connection, address: str, service: str | None, timeout: float, as_json: bool) -> None:
    """Connect to a service and show its attestation report, verified against the trust folder.

    Verification checks, in order: the certificate, the report signer's chain to the trusted
    root, the report signature, the quote status, the binding of the report to the TLS key,
    simulation and debug mode, the measurement against enclave_info, freshness. When one fails,
    the command says which one and why, and exits 4.

    Without a trust folder (--trust, $TEAHOUSE_TRUST or the login's) the report is printed
    UNVERIFIED, with a warning, as Teaclave's `teaclave_cli attest` does.

    \b
    Examples:
      teahouse attest localhost:7777 --trust ./trust
      teahouse attest localhost:7776 --trust ./trust --service authentication --json
      teahouse attest localhost:7777          # unverified
    """
    verify = conn.trust_dir is not None
    if verify:
        trust = conn.trust()
        try:
            report = attest(address, trust, service=service, timeout=timeout)
        except AttestationFailedError as exc:
            if as_json:
                emit_json(
                    {"address": address, "verified": False, "check": exc.check, "reason": exc.error.message}
                )
            raise AttestationRefused(
                f"{address} failed attestation: {exc.check} check: {exc.error.message}"
            ) from None
    else:
        if service is not None:
            raise click.UsageError("--service needs a trust folder to check against (--trust DIR)")
        report = read_report(address, timeout=timeout)
        click.echo(UNVERIFIED_WARNING, err=True)
    if as_json:
        emit_json(report_json(report))
        return
    if not report.verified:
        say(UNVERIFIED_WARNING)
    show(fields(_report_rows(report), title=_title(report)))
    if report.simulated:
        say("SIMULATED platform: no hardware protection (software TEE).")


def report_json(report: ServerReport) -> dict[str, object]:
    return {
        "address": report.address,
        "verified": report.verified,
        "service": report.service,
        "mr_enclave": report.mr_enclave,
        "mr_signer": report.mr_signer,
        "quote_status": report.quote_status,
        "report_id": report.report_id,
        "report_time": iso(report.report_time),
        "report_age_seconds": seconds(report.report_age),
        "simulated": report.simulated,
        "debug": report.debug,
        "signer": report.signer,
        "isv_prod_id": report.isv_prod_id,
        "isv_svn": report.isv_svn,
        "report_data": report.report_data,
    }


def _title(report: ServerReport) -> str:
    if not report.verified:
        return f"UNVERIFIED report of {report.address}"
    return f"{report.address} is the attested {report.service} service"


def _report_rows(report: ServerReport) -> list[tuple[str, object]]:
    return [
        ("service", report.service if report.verified else "(unverified)"),
        ("mr_enclave", report.mr_enclave),
        ("mr_signer", report.mr_signer),
        ("quote status", report.quote_status),
        ("report time", iso(report.report_time)),
        ("report age", f"{seconds(report.report_age):.0f} s"),
        ("simulated", report.simulated),
        ("debug enclave", report.debug),
        ("report signer", report.signer),
        ("isv_prod_id / isv_svn", f"{report.isv_prod_id} / {report.isv_svn}"),
        ("report data", report.report_data),
    ]
