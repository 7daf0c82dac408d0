"""The executable parts of a Markdown page: its ```sh commands and the ```text output they promise.

A ```sh block holds commands exactly as a user types them, one per line (a line ending in ``\\``
continues on the next; blank lines and lines starting with ``#`` are skipped). A ```text block
that follows a ```sh block with nothing but blank lines between is the output of that block's last
command: every line of it must appear, in order, in what the command prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^```\s*([A-Za-z0-9_+-]*)\s*$")


@dataclass(frozen=True)
class Step:
    """One command, where it is in the page, and the output lines the page says it prints."""

    command: str
    line: int
    expected: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Block:
    language: str
    first_line: int  # 1-based line number of the block's first content line
    lines: tuple[str, ...]
    after_blank_only: bool  # only blank lines since the previous block ended


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    lines = text.splitlines()
    index = 0
    blank_since_block = False
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            if lines[index].strip():
                blank_since_block = False
            index += 1
            continue
        start = index + 1
        end = start
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if end == len(lines):
            raise ValueError(f"line {index + 1}: the ``` block is never closed")
        blocks.append(_Block(match.group(1).lower(), start + 1, tuple(lines[start:end]), blank_since_block))
        blank_since_block = True
        index = end + 1
    return blocks


def _commands(block: _Block) -> list[Step]:
    steps: list[Step] = []
    pending: list[str] = []
    pending_line = 0
    for offset, raw in enumerate(block.lines):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            pending_line = block.first_line + offset
        pending.append(line)
        if line.endswith("\\"):
            continue
        steps.append(Step("\n".join(pending).strip(), pending_line))
        pending = []
    if pending:
        raise ValueError(f"line {pending_line}: the command's last line ends with a backslash")
    return steps


def steps(text: str) -> list[Step]:
    """Every command of the page's ```sh blocks, in order, with the output each must print."""
    result: list[Step] = []
    previous: _Block | None = None
    for block in _blocks(text):
        if block.language == "sh":
            commands = _commands(block)
            if not commands:
                raise ValueError(f"line {block.first_line}: an empty ```sh block")
            result.extend(commands)
        elif (
            block.language == "text"
            and previous is not None
            and previous.language == "sh"
            and block.after_blank_only
        ):
            expected = tuple(line.rstrip() for line in block.lines if line.strip())
            last = result[-1]
            result[-1] = Step(last.command, last.line, expected)
        previous = block
    return result


def find_in_order(expected: tuple[str, ...], output: str) -> str | None:
    """The first expected line (``…`` matches anything) missing from ``output`` in order, or None."""
    position = 0
    for line in expected:
        for piece in line.split("…"):
            found = output.find(piece, position)
            if found < 0:
                return line
            position = found + len(piece)
    return None
