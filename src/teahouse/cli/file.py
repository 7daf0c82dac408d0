"""``teahouse file encrypt|decrypt``: the file commands of Teaclave's ``teaclave_cli``.

Options keep teaclave_cli's names (``-a/--algorithm``, ``-k``, ``--iv``, ``-i/--input-file``,
``-o/--output-file``, ``-c/--print-cmac``) next to our own; every error is one line and exit 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from teahouse.crypto.files import FileCrypto, FileCryptoError, Schema, decrypt_file, encrypt_file

_SCHEMAS = (Schema.AES_GCM_128, Schema.AES_GCM_256, Schema.TEACLAVE_FILE_128)
_F = TypeVar("_F", bound=Callable[..., Any])


def _options(func: _F) -> _F:
    decorators = [
        click.option(
            "-a",
            "--schema",
            "--algorithm",
            "schema",
            required=True,
            metavar="SCHEMA",
            help="aes-gcm-128, aes-gcm-256 or teaclave-file-128.",
        ),
        click.option("-k", "--key", required=True, metavar="HEX", help="Key in hex (16 or 32 bytes)."),
        click.option("--iv", metavar="HEX", help="IV in hex (12 bytes), AES-GCM only."),
        click.option(
            "-i",
            "--input",
            "--input-file",
            "input_path",
            required=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="File to read.",
        ),
        click.option(
            "-o",
            "--output",
            "--output-file",
            "output_path",
            required=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="File to write (replaced only once complete).",
        ),
        click.option("-c", "--print-cmac", is_flag=True, help="Print the file's cmac as 32 hex digits."),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


@click.group(name="file")
def command() -> None:
    """Encrypt and decrypt user files in Teaclave's formats."""


@command.command()
@_options
@click.option(
    "--name",
    metavar="NAME",
    help="teaclave-file-128: name the file is bound to (default: the output's file name).",
)
def encrypt(
    schema: str,
    key: str,
    iv: str | None,
    input_path: Path,
    output_path: Path,
    print_cmac: bool,
    name: str | None,
) -> None:
    """Encrypt a plaintext file."""
    crypto = _crypto(schema, key, iv)
    cmac = _run(lambda: encrypt_file(crypto, input_path, output_path, name=name))
    if print_cmac:
        click.echo(cmac.hex())


@command.command()
@_options
@click.option("--cmac", "expected_cmac", metavar="HEX", help="Refuse the file unless its cmac is this.")
@click.option(
    "--name",
    metavar="NAME",
    help="teaclave-file-128: name the file was written under (default: the input's file name).",
)
def decrypt(
    schema: str,
    key: str,
    iv: str | None,
    input_path: Path,
    output_path: Path,
    print_cmac: bool,
    expected_cmac: str | None,
    name: str | None,
) -> None:
    """Decrypt and verify an encrypted file."""
    crypto = _crypto(schema, key, iv)
    cmac = _hex("--cmac", expected_cmac) if expected_cmac is not None else None
    found = _run(lambda: decrypt_file(crypto, input_path, output_path, cmac=cmac, name=name))
    if print_cmac:
        click.echo(found.hex())


def _crypto(schema: str, key_hex: str, iv_hex: str | None) -> FileCrypto:
    if schema not in {s.value for s in _SCHEMAS}:
        raise click.ClickException(
            f"unsupported schema {schema!r}: use aes-gcm-128, aes-gcm-256 or teaclave-file-128"
        )
    key = _hex("--key", key_hex)
    if schema != Schema.TEACLAVE_FILE_128 and iv_hex is None:
        raise click.ClickException(f"{schema} needs --iv (12 bytes in hex)")
    iv = _hex("--iv", iv_hex) if iv_hex is not None else b""
    try:
        return FileCrypto.from_wire(schema, key, iv)
    except FileCryptoError as e:
        raise click.ClickException(e.message) from None


def _hex(option: str, text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        # The value may be a secret key: say what is wrong without echoing it.
        raise click.ClickException(
            f"{option} is not valid hex (expected an even number of 0-9a-f digits)"
        ) from None


_T = TypeVar("_T")


def _run(action: Callable[[], _T]) -> _T:
    try:
        return action()
    except FileCryptoError as e:
        raise click.ClickException(e.message) from None
    except OSError as e:
        where = f": {e.filename}" if e.filename else ""
        raise click.ClickException(f"{e.strerror or e}{where}") from None
