"""``teahouse data``: register encrypted files, upload and fetch them, look at them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from teahouse.cli._client import Connection, connection_options
from teahouse.cli._output import (
    EXIT_CODES_HELP,
    Group,
    b64,
    emit_json,
    fields,
    json_option,
    say,
    show,
    text_or_none,
)
from teahouse.cli._specs import hex_bytes
from teahouse.sdk import FileCrypto, FileInfo, Schema

SCHEMAS = (Schema.TEACLAVE_FILE_128.value, Schema.AES_GCM_128.value, Schema.AES_GCM_256.value)


def _crypto_options(*, key_required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    options = [
        click.option(
            "--schema",
            type=click.Choice(SCHEMAS),
            default=Schema.TEACLAVE_FILE_128.value,
            show_default=True,
            help="How the file is encrypted.",
        ),
        click.option(
            "--key",
            required=key_required,
            metavar="HEX",
            help="The file key in hex (16 bytes; 32 for aes-gcm-256)."
            + ("" if key_required else " Default: a new random key, printed."),
        ),
        click.option("--iv", metavar="HEX", help="The IV in hex (12 bytes), aes-gcm-* only."),
    ]

    def apply(fn: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


def _crypto(schema: str, key: str | None, iv: str | None) -> FileCrypto:
    parsed = Schema(schema)
    if key is None:
        return FileCrypto.generate(parsed)
    if iv is None and parsed is not Schema.TEACLAVE_FILE_128:
        raise click.BadParameter(f"{schema} needs an IV (12 bytes in hex)", param_hint="--iv")
    return FileCrypto(parsed, hex_bytes(key, "--key"), hex_bytes(iv, "--iv") if iv is not None else b"")


def _crypto_json(crypto: FileCrypto) -> dict[str, str]:
    return {"schema": crypto.schema.value, "key": crypto.key.hex(), "iv": crypto.iv.hex()}


def _crypto_rows(crypto: FileCrypto) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [("schema", crypto.schema.value), ("key", crypto.key.hex())]
    if crypto.iv:
        found.append(("iv", crypto.iv.hex()))
    return found


@click.group("data", cls=Group, epilog=EXIT_CODES_HELP)
def command() -> None:
    """Data files: register inputs and outputs, upload and fetch encrypted files.

    The platform never sees a file in clear: you encrypt it, the execution service decrypts it
    inside the TEE. URLs are file://, http(s)://, data: or a local path (as file://).
    """


@command.command("register-input", epilog=EXIT_CODES_HELP)
@click.argument("url")
@click.option("--cmac", required=True, metavar="HEX", help="The encrypted file's 16-byte tag in hex.")
@_crypto_options(key_required=True)
@connection_options
@json_option
def register_input(
    conn: Connection, url: str, cmac: str, schema: str, key: str, iv: str | None, as_json: bool
) -> None:
    """Register an encrypted input file that already is at URL.

    \b
    Example:
      teahouse data register-input http://files:6789/train.enc \\
          --cmac 860030495909b84864b991865e9ad94f --key 00000000000000000000000000000000
    """
    crypto = _crypto(schema, key, iv)
    with conn.frontend() as frontend:
        data_id = frontend.register_input_file(url, crypto, hex_bytes(cmac, "--cmac"))
    _registered(as_json, data_id)


@command.command("register-output", epilog=EXIT_CODES_HELP)
@click.argument("url")
@_crypto_options(key_required=False)
@connection_options
@json_option
def register_output(
    conn: Connection, url: str, schema: str, key: str | None, iv: str | None, as_json: bool
) -> None:
    """Register where a task should write an output, and the key to encrypt it with.

    Without --key a random key is made and printed: keep it to decrypt the output.

    \b
    Examples:
      teahouse data register-output file:///srv/out/model.enc
      teahouse data register-output http://files:6789/out.enc --schema aes-gcm-128 --key 00…00 --iv 01…01
    """
    crypto = _crypto(schema, key, iv)
    with conn.frontend() as frontend:
        data_id = frontend.register_output_file(url, crypto)
    if as_json:
        emit_json({"data_id": data_id, "url": url, **_crypto_json(crypto)})
        return
    say(f"Registered {data_id}")
    if key is None:
        say(f"key: {crypto.key.hex()}" + (f"  iv: {crypto.iv.hex()}" if crypto.iv else ""))


@command.command("register-fusion", epilog=EXIT_CODES_HELP)
@click.argument("owners", nargs=-1, required=True, metavar="USER USER...")
@connection_options
@json_option
def register_fusion(conn: Connection, owners: tuple[str, ...], as_json: bool) -> None:
    """Register an output owned jointly by several users (you among them), kept by the platform.

    \b
    Example:
      teahouse data register-fusion alice bob
    """
    with conn.frontend() as frontend:
        data_id = frontend.register_fusion_output(owners)
    _registered(as_json, data_id)


@command.command("input-from-output", epilog=EXIT_CODES_HELP)
@click.argument("data_id", metavar="OUTPUT_ID")
@connection_options
@json_option
def input_from_output(conn: Connection, data_id: str, as_json: bool) -> None:
    """Register a written output (e.g. a fusion output) as an input for further tasks.

    \b
    Example:
      teahouse data input-from-output output-1b2c…
    """
    with conn.frontend() as frontend:
        new_id = frontend.register_input_from_output(data_id)
    _registered(as_json, new_id)


@command.command("show", epilog=EXIT_CODES_HELP)
@click.argument("data_id")
@connection_options
@json_option
def show_(conn: Connection, data_id: str, as_json: bool) -> None:
    """Show an input or output file you own: its owners and cmac.

    \b
    Example:
      teahouse data show input-1b2c…
    """
    with conn.frontend() as frontend:
        info: FileInfo = (
            frontend.get_output_file(data_id)
            if data_id.startswith("output-")
            else frontend.get_input_file(data_id)
        )
    cmac = info.cmac.hex() if info.cmac is not None else None
    if as_json:
        emit_json({"data_id": info.data_id or data_id, "owners": sorted(info.owners), "cmac": cmac})
        return
    show(
        fields(
            [
                ("data id", info.data_id or data_id),
                ("owners", sorted(info.owners)),
                ("cmac", cmac if cmac is not None else "(not written yet)"),
            ]
        )
    )


@command.command("upload", epilog=EXIT_CODES_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("url")
@click.option(
    "--schema",
    type=click.Choice(SCHEMAS),
    default=Schema.TEACLAVE_FILE_128.value,
    show_default=True,
    help="How to encrypt the file.",
)
@click.option("--key", metavar="HEX", help="The key in hex; default: a new random key.")
@connection_options
@json_option
def upload(conn: Connection, file: Path, url: str, schema: str, key: str | None, as_json: bool) -> None:
    """Encrypt FILE, store it at URL and register it as an input; print its id and key.

    URL must be reachable by the platform's execution service and must not exist yet.

    \b
    Examples:
      teahouse data upload train.txt file:///srv/teahouse/data/train.enc
      teahouse data upload train.txt http://files:6789/train.enc --key 000102030405060708090a0b0c0d0e0f
    """
    key_bytes = hex_bytes(key, "--key") if key is not None else None
    with conn.frontend() as frontend:
        uploaded = frontend.upload_input(file, url, schema=schema, key=key_bytes)
    if as_json:
        emit_json(
            {
                "data_id": uploaded.data_id,
                "url": uploaded.url,
                "cmac": uploaded.cmac.hex(),
                **_crypto_json(uploaded.crypto),
            }
        )
        return
    show(
        fields(
            [
                ("data id", uploaded.data_id),
                ("url", uploaded.url),
                *_crypto_rows(uploaded.crypto),
                ("cmac", uploaded.cmac.hex()),
            ],
            title="Uploaded and registered",
        )
    )


@command.command("fetch", epilog=EXIT_CODES_HELP)
@click.argument("task_id", metavar="TASK")
@click.argument("output")
@click.argument("url")
@_crypto_options(key_required=True)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the plaintext to FILE (default: standard output).",
)
@connection_options
@json_option
def fetch(
    conn: Connection,
    task_id: str,
    output: str,
    url: str,
    schema: str,
    key: str,
    iv: str | None,
    out: Path | None,
    as_json: bool,
) -> None:
    """Download the OUTPUT of an ended TASK from URL, check it is that task's, and decrypt it.

    The file must carry the tag the platform recorded when the task finished.

    \b
    Examples:
      teahouse data fetch task-5e6f… trained_model file:///srv/out/model.enc --key 3fc3… -o model.json
      teahouse data fetch task-5e6f… output_result1 http://files:6789/out.enc --key 00…00
    """
    crypto = _crypto(schema, key, iv)
    with conn.frontend() as frontend:
        plaintext = frontend.fetch_output(task_id, output, url, crypto)
    if out is not None:
        out.write_bytes(plaintext)
    if as_json:
        result: dict[str, Any] = {"task_id": task_id, "output": output, "size": len(plaintext)}
        if out is not None:
            result["path"] = str(out)
        else:
            result["text"] = text_or_none(plaintext)
            result["base64"] = b64(plaintext)
        emit_json(result)
    elif out is not None:
        say(f"Wrote {len(plaintext)} bytes to {out}")
    else:
        click.echo(plaintext, nl=False)


def _registered(as_json: bool, data_id: str) -> None:
    if as_json:
        emit_json({"data_id": data_id})
    else:
        say(f"Registered {data_id}")
