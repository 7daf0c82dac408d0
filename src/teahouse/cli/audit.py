"""``teahouse audit query``: the frontend's audit log (PlatformAdmin only)."""

from __future__ import annotations

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._output import EXIT_CODES_HELP, Group, emit_json, iso, json_option, rows, show


@click.group("audit", cls=Group, epilog=EXIT_CODES_HELP)
def command() -> None:
    """The audit log: every frontend request, who made it and whether it succeeded."""


@command.command("query", epilog=EXIT_CODES_HELP)
@click.argument("query")
@click.option(
    "--limit", type=click.IntRange(min=1), default=100, show_default=True, help="At most N entries."
)
@connection_options
@json_option
def query(conn: Connection, query: str, limit: int, as_json: bool) -> None:
    """Find audit entries, newest first (PlatformAdmin only).

    QUERY is full-text: field:term (fields message, user, ip, result), phrases, AND/OR/NOT;
    the default field is message.

    \b
    Examples:
      teahouse audit query 'message:register_function' --limit 10
      teahouse audit query 'user:admin AND NOT result:true' --json
    """
    with conn.frontend() as frontend:
        entries = frontend.query_audit_logs(query, limit)
    if as_json:
        emit_json(
            {
                "entries": [
                    {
                        "time": iso(e.time),
                        "ip": str(e.ip),
                        "user": e.user,
                        "message": e.message,
                        "result": e.result,
                    }
                    for e in entries
                ]
            }
        )
        return
    show(
        rows(
            ["time", "ip", "user", "message", "ok"],
            [[e.time.strftime("%Y-%m-%d %H:%M:%S"), e.ip, e.user, e.message, e.result] for e in entries],
            title=f"{len(entries)} entries",
        )
    )
