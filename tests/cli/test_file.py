"""``teahouse file encrypt|decrypt`` through click's CliRunner."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import main

VECTORS = Path(__file__).parents[1] / "crypto" / "files" / "vectors"
ZERO16 = "00" * 16


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["file", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("schema", "key", "iv"),
    [
        ("aes-gcm-128", "01" * 16, "02" * 12),
        ("aes-gcm-256", "03" * 32, "04" * 12),
        ("teaclave-file-128", "05" * 16, None),
    ],
)
def test_encrypt_then_decrypt(schema: str, key: str, iv: str | None, tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_bytes(b"some user data\n" * 500)
    iv_args = ["--iv", iv] if iv else []
    code, out, err = run(
        "encrypt",
        "-a",
        schema,
        "-k",
        key,
        *iv_args,
        "-i",
        str(tmp_path / "plain.txt"),
        "-o",
        str(tmp_path / "data.enc"),
        "-c",
    )
    assert (code, err) == (0, "")
    cmac = out.strip()
    assert len(cmac) == 32

    code, out, err = run(
        "decrypt",
        "--schema",
        schema,
        "--key",
        key,
        *iv_args,
        "--input",
        str(tmp_path / "data.enc"),
        "--output",
        str(tmp_path / "back.txt"),
        "--print-cmac",
        "--cmac",
        cmac,
    )
    assert (code, out.strip(), err) == (0, cmac, "")
    assert (tmp_path / "back.txt").read_bytes() == (tmp_path / "plain.txt").read_bytes()


def test_teaclave_cli_option_names_and_fixture(tmp_path: Path) -> None:
    code, out, _ = run(
        "decrypt",
        "--algorithm",
        "teaclave-file-128",
        "--key",
        ZERO16,
        "--input-file",
        str(VECTORS / "py_logistic_reg" / "train.enc"),
        "--output-file",
        str(tmp_path / "train.txt"),
        "-c",
    )
    assert (code, out) == (0, "00780510adc603725ec240ab979681f0\n")
    assert (tmp_path / "train.txt").read_bytes() == (VECTORS / "py_logistic_reg" / "train.txt").read_bytes()


def test_no_output_without_print_cmac(tmp_path: Path) -> None:
    (tmp_path / "p").write_bytes(b"x")
    assert run(
        "encrypt",
        "-a",
        "teaclave-file-128",
        "-k",
        ZERO16,
        "-i",
        str(tmp_path / "p"),
        "-o",
        str(tmp_path / "e"),
    ) == (0, "", "")


def test_renamed_file_needs_name(tmp_path: Path) -> None:
    shutil.copy(VECTORS / "gbdt_training" / "train.enc", tmp_path / "renamed.enc")
    args = [
        "decrypt",
        "-a",
        "teaclave-file-128",
        "-k",
        ZERO16,
        "-i",
        str(tmp_path / "renamed.enc"),
        "-o",
        str(tmp_path / "out"),
    ]
    code, _, err = run(*args)
    assert code == 1
    assert err == (
        "Error: file name mismatch: opened as 'renamed.enc' but the file was written as 'train.enc'"
        " (teaclave-file-128 files must keep their name)\n"
    )
    assert run(*args, "--name", "train.enc")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "aes-gcm-128", "-k", "zz" * 16, "--iv", "00" * 12], "--key is not valid hex"),
        (["-a", "aes-gcm-128", "-k", ZERO16, "--iv", "0"], "--iv is not valid hex"),
        (
            ["-a", "aes-gcm-128", "-k", "00" * 15, "--iv", "00" * 12],
            "aes-gcm-128 key must be 16 bytes, got 15",
        ),
        (["-a", "aes-gcm-256", "-k", ZERO16, "--iv", "00" * 12], "aes-gcm-256 key must be 32 bytes, got 16"),
        (["-a", "aes-gcm-128", "-k", ZERO16], "aes-gcm-128 needs --iv (12 bytes in hex)"),
        (["-a", "teaclave-file-128", "-k", ZERO16, "--iv", "00" * 12], "teaclave-file-128 iv must be empty"),
        (["-a", "raw", "-k", ZERO16], "unsupported schema 'raw'"),
        (
            ["-a", "aes-gcm-128", "-k", ZERO16, "--iv", "00" * 12, "--cmac", "00" * 16],
            "cmac mismatch: expected 0000",
        ),
        (
            ["-a", "aes-gcm-128", "-k", ZERO16, "--iv", "00" * 12, "--cmac", "00" * 3],
            "cmac must be 16 bytes, got 3",
        ),
        (
            ["-a", "aes-gcm-128", "-k", "11" * 16, "--iv", "01" * 12],
            "aes-gcm tag does not verify: wrong key or iv",
        ),
    ],
)
def test_errors_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    src = tmp_path / "train.aes_gcm_128"
    shutil.copy(VECTORS / "gbdt_training" / "train.aes_gcm_128", src)
    code, out, err = run("decrypt", *args, "-i", str(src), "-o", str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert message in err
    assert "zz" not in err  # keys are never echoed
    assert not (tmp_path / "out").exists()


def test_missing_input(tmp_path: Path) -> None:
    code, _, err = run(
        "encrypt",
        "-a",
        "teaclave-file-128",
        "-k",
        ZERO16,
        "-i",
        str(tmp_path / "nope"),
        "-o",
        str(tmp_path / "out"),
    )
    assert code == 1
    assert err == f"Error: No such file or directory: {tmp_path / 'nope'}\n"
