"""Tokens of the audit query language (see ``_audit_query`` for the syntax)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teahouse.services.management.errors import InvalidAuditQuery

_FIELD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Tok:
    kind: str  # WORD, PHRASE, FIELD, LPAREN, RPAREN, LBRACKET, RBRACKET, AND, OR, NOT, PLUS, MINUS
    text: str
    pos: int


_OPEN_RANGE = {"[": "LBRACKET", "{": "LBRACKET"}
_CLOSE_RANGE = {"]": "RBRACKET", "}": "RBRACKET"}
_SPECIAL = set('()"[]{}')


def lex(query: str) -> list[Tok]:
    out: list[Tok] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(Tok("LPAREN", c, i))
            i += 1
        elif c == ")":
            out.append(Tok("RPAREN", c, i))
            i += 1
        elif c in _OPEN_RANGE:
            out.append(Tok(_OPEN_RANGE[c], c, i))
            i += 1
        elif c in _CLOSE_RANGE:
            out.append(Tok(_CLOSE_RANGE[c], c, i))
            i += 1
        elif c == '"':
            text, end = _phrase(query, i)
            out.append(Tok("PHRASE", text, i))
            i = end
        elif c in "+-" and i + 1 < n and not query[i + 1].isspace() and (not out or _starts_clause(query, i)):
            out.append(Tok("PLUS" if c == "+" else "MINUS", c, i))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            word = query[start:i]
            head, colon, rest = word.partition(":")
            if colon and _FIELD_RE.fullmatch(head):
                out.append(Tok("FIELD", head, start))
                if rest:
                    out.append(Tok("WORD", rest, start + len(head) + 1))
            elif word in ("AND", "&&"):
                out.append(Tok("AND", word, start))
            elif word in ("OR", "||"):
                out.append(Tok("OR", word, start))
            elif word == "NOT":
                out.append(Tok("NOT", word, start))
            else:
                out.append(Tok("WORD", word, start))
    return out


def _phrase(query: str, start: int) -> tuple[str, int]:
    """The text of the phrase opening at ``start`` (``\\"`` escapes a quote) and the index after it."""
    chars: list[str] = []
    i = start + 1
    while i < len(query):
        c = query[i]
        if c == "\\" and i + 1 < len(query):
            chars.append(query[i + 1])
            i += 2
        elif c == '"':
            return "".join(chars), i + 1
        else:
            chars.append(c)
            i += 1
    raise InvalidAuditQuery(f"unterminated phrase starting at position {start}")


def _starts_clause(query: str, i: int) -> bool:
    """``+``/``-`` are operators only at the start of a clause (after space or an opening paren)."""
    return query[i - 1].isspace() or query[i - 1] == "("
