"""Regenerate the protobuf and grpclib modules of this package from its ``.proto`` files.

Usage: ``python -m teahouse.proto.generate [--check]``.

protoc writes sibling imports (``import teaclave_common_pb2``) that only work when the output
directory is on ``sys.path``; they are rewritten to package-relative imports so that the modules
import as ``teahouse.proto.<name>``. ``--check`` generates into a temporary directory and fails,
listing the stale files, if the committed modules differ from what the ``.proto`` files give.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

PROTO_DIR = Path(__file__).resolve().parent
PLUGIN_NAME = "protoc-gen-grpclib_python"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_grpc.py")

# `import teaclave_x_pb2` / `import teaclave_x_pb2 as alias` (or teahouse_x_pb2) at the start of a line.
_SIBLING_IMPORT = re.compile(r"^import ((?:teaclave|teahouse)_\w+_pb2)\b", re.MULTILINE)
# Lines that name the generator's protobuf version; they do not depend on the .proto files, so
# the staleness check ignores them (a newer grpcio-tools must not make the stubs "stale").
_VERSION_LINES = re.compile(
    r"^# Protobuf Python Version: .*$|"
    r"^_runtime_version\.ValidateProtobufRuntimeVersion\(\n(?:    .*\n)*?\)$",
    re.MULTILINE,
)


class GenerationError(RuntimeError):
    """protoc or its grpclib plugin could not run, or failed."""


def proto_files(proto_dir: Path = PROTO_DIR) -> list[Path]:
    return sorted(proto_dir.glob("*.proto"))


def is_generated(path: Path) -> bool:
    return path.name.endswith(GENERATED_SUFFIXES)


def rewrite_imports(source: str) -> str:
    """Turn protoc's top-level sibling imports into package-relative ones."""
    return _SIBLING_IMPORT.sub(r"from . import \1", source)


def _plugin_path() -> Path:
    plugin = Path(sys.executable).parent / PLUGIN_NAME
    if not plugin.exists():
        raise GenerationError(f"{PLUGIN_NAME} not found next to {sys.executable} (is grpclib installed?)")
    return plugin


def _well_known_include() -> Path:
    try:
        import grpc_tools
    except ImportError as exc:
        raise GenerationError("grpcio-tools is not installed (pip install -e '.[dev]')") from exc
    return Path(grpc_tools.__file__).resolve().parent / "_proto"


def generate(out_dir: Path, proto_dir: Path = PROTO_DIR) -> list[Path]:
    """Generate every module into ``out_dir`` and return their paths."""
    from grpc_tools import protoc

    sources = proto_files(proto_dir)
    if not sources:
        raise GenerationError(f"no .proto files in {proto_dir}")
    args = [
        "grpc_tools.protoc",
        f"--proto_path={proto_dir}",
        f"--proto_path={_well_known_include()}",
        f"--plugin={PLUGIN_NAME}={_plugin_path()}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpclib_python_out={out_dir}",
        *(str(p) for p in sources),
    ]
    if protoc.main(args) != 0:
        raise GenerationError("protoc failed (see its output above)")
    written = sorted(p for p in out_dir.iterdir() if is_generated(p))
    for path in written:
        path.write_text(rewrite_imports(path.read_text()))
    return written


def _comparable(text: str) -> str:
    return _VERSION_LINES.sub("", text)


def stale_files(proto_dir: Path = PROTO_DIR) -> list[str]:
    """Names of generated modules in ``proto_dir`` that are missing, outdated or orphaned."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_text() for p in generate(Path(tmp), proto_dir)}
    committed = {p.name: p for p in proto_dir.iterdir() if is_generated(p)}
    stale = [
        name
        for name, text in fresh.items()
        if name not in committed or _comparable(committed[name].read_text()) != _comparable(text)
    ]
    stale += [name for name in committed if name not in fresh]
    return sorted(stale)


def write_modules(proto_dir: Path = PROTO_DIR) -> list[Path]:
    """Replace the generated modules in ``proto_dir``; nothing changes if generation fails."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_text() for p in generate(Path(tmp), proto_dir)}
    for path in proto_dir.iterdir():
        if is_generated(path) and path.name not in fresh:
            path.unlink()
    for name, text in fresh.items():
        (proto_dir / name).write_text(text)
    return [proto_dir / name for name in sorted(fresh)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m teahouse.proto.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale generated modules")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_files(PROTO_DIR)
            if stale:
                print(
                    "stale generated protobuf modules (run `python -m teahouse.proto.generate`):\n  "
                    + "\n  ".join(stale),
                    file=sys.stderr,
                )
                return 1
            print("generated protobuf modules are up to date")
            return 0
        written = write_modules(PROTO_DIR)
    except GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} modules to {PROTO_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
