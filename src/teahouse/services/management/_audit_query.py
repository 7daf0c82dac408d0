"""The audit query language: Tantivy's query syntax, parsed into a small tree, rendered as SQL over FTS5.

Syntax (Tantivy's default parser, which Teaclave exposed):

- ``word`` or ``"a phrase"`` searches the default field ``message``; ``field:word`` and
  ``field:"a phrase"`` search another field (``user``, ``message``, ``ip``, ``result``);
  ``field:(a b)`` applies the field to a group. ``word*`` matches a token prefix.
- Text is tokenised on non-alphanumerics and lower-cased, so ``message:register_function`` is the
  phrase ``register function``.
- ``a AND b``, ``a OR b``, ``NOT a``, parentheses; ``+a`` (must) and ``-a`` (must not). Terms side by
  side are alternatives, as in Tantivy (``a b`` is ``a OR b``), except that ``+``/``-``/``NOT``
  terms constrain the whole list (``login -user:admin`` is ``login AND NOT user:admin``).
- ``date:[A TO B]`` (inclusive) or ``date:{A TO B}`` (exclusive), bounds in RFC 3339 or UNIX
  microseconds, ``*`` for open; ``*`` alone matches every entry, and so does an empty query.

Every leaf becomes ``id IN (SELECT rowid FROM <fts> WHERE <fts> MATCH ?)`` with an FTS5 column filter
as a bound parameter, so no query text is ever spliced into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

from teahouse.services.management._audit_lexer import Tok, lex
from teahouse.services.management.errors import InvalidAuditQuery

TEXT_FIELDS = ("user", "message", "ip", "result")
DATE_FIELD = "date"
DEFAULT_FIELD = "message"
MAX_QUERY_LENGTH = 4096
MAX_DEPTH = 64

_TOKEN_RE = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Split on non-alphanumerics and lower-case, as the index does."""
    return [t.lower() for t in _TOKEN_RE.findall(text)]


@dataclass(frozen=True)
class Term:
    """A phrase (one token or several in a row) in one column; ``prefix``: the last token is a prefix."""

    column: str
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class DateRange:
    low: int | None
    high: int | None
    low_inclusive: bool = True
    high_inclusive: bool = True


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node: TypeAlias = Term | DateRange | MatchAll | And | Or | Not


# Parser


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            return MatchAll()
        node = self.clauses(DEFAULT_FIELD)
        tok = self.peek()
        if tok is not None:
            raise InvalidAuditQuery(f"unbalanced {tok.text!r} at position {tok.pos}")
        return node

    def at(self, *kinds: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind in kinds

    def at_close(self) -> bool:
        return self.peek() is None or self.at("RPAREN")

    def clauses(self, field: str) -> Node:
        """Clauses side by side or joined by OR, with Lucene's rules for ``+``, ``-`` and ``NOT``."""
        should: list[Node] = []
        must: list[Node] = []
        must_not: list[Node] = []
        while not self.at_close():
            tok = self.take() if self.at("OR") else None
            if tok is not None:
                if not (should or must or must_not):
                    raise InvalidAuditQuery(f"OR at position {tok.pos} needs a term before it")
                if self.at_close() or self.at("OR", "AND"):
                    raise InvalidAuditQuery(f"OR at position {tok.pos} needs a term after it")
                continue
            required = self.at("PLUS")
            clause = self.conjunction(field)
            if isinstance(clause, Not):
                must_not.append(clause.part)
            elif required:
                must.append(clause)
            else:
                should.append(clause)
        if not (should or must or must_not):
            tok = self.peek()
            if tok is not None:
                raise InvalidAuditQuery(f"unbalanced ')' at position {tok.pos}")
            raise InvalidAuditQuery("expected a term at the end")
        positive: list[Node] = list(must)
        if should and not must:
            positive.append(should[0] if len(should) == 1 else Or(tuple(should)))
        if not positive:
            positive.append(MatchAll())
        positive.extend(Not(n) for n in must_not)
        return positive[0] if len(positive) == 1 else And(tuple(positive))

    def conjunction(self, field: str) -> Node:
        parts = [self.unary(field)]
        while (tok := self.peek()) is not None and tok.kind == "AND":
            self.take()
            if self.at_close() or self.at("OR", "AND"):
                raise InvalidAuditQuery(f"AND at position {tok.pos} needs a term after it")
            parts.append(self.unary(field))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, field: str) -> Node:
        tok = self.peek()
        if tok is not None and tok.kind in ("NOT", "MINUS"):
            self.take()
            return Not(self.unary_operand(field, tok))
        if tok is not None and tok.kind == "PLUS":
            self.take()
            return self.unary_operand(field, tok)
        return self.primary(field)

    def unary_operand(self, field: str, op: Tok) -> Node:
        if self.at_close() or self.at("AND", "OR"):
            raise InvalidAuditQuery(f"{op.text} at position {op.pos} needs a term after it")
        return self.unary(field)

    def primary(self, field: str) -> Node:
        tok = self.peek()
        if tok is None:
            raise InvalidAuditQuery("unexpected end of query: expected a term")
        if tok.kind == "LPAREN":
            return self.group(field)
        if tok.kind == "FIELD":
            self.take()
            return self.field_value(tok)
        if tok.kind in ("WORD", "PHRASE"):
            self.take()
            return self.leaf(field, tok)
        if tok.kind == "RPAREN":
            raise InvalidAuditQuery(f"unbalanced ')' at position {tok.pos}")
        if tok.kind in ("AND", "OR"):
            raise InvalidAuditQuery(f"{tok.text} at position {tok.pos} needs a term before it")
        raise InvalidAuditQuery(f"unexpected {tok.text!r} at position {tok.pos}")

    def group(self, field: str) -> Node:
        open_tok = self.take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InvalidAuditQuery(f"parentheses nested deeper than {MAX_DEPTH}")
        if self.peek() is None:
            raise InvalidAuditQuery(f"unbalanced '(' at position {open_tok.pos}")
        if self.at("RPAREN"):
            raise InvalidAuditQuery(f"empty parentheses at position {open_tok.pos}")
        node = self.clauses(field)
        close = self.peek()
        if close is None or close.kind != "RPAREN":
            raise InvalidAuditQuery(f"unbalanced '(' at position {open_tok.pos}")
        self.take()
        self.depth -= 1
        return node

    def field_value(self, field_tok: Tok) -> Node:
        name = field_tok.text
        if name == DATE_FIELD:
            return self.date_range(field_tok)
        if name not in TEXT_FIELDS:
            known = ", ".join(sorted((*TEXT_FIELDS, DATE_FIELD)))
            raise InvalidAuditQuery(
                f"unknown field {name!r} at position {field_tok.pos} (known fields: {known})"
            )
        tok = self.peek()
        if tok is None or tok.kind not in ("WORD", "PHRASE", "LPAREN"):
            raise InvalidAuditQuery(f"field {name!r} at position {field_tok.pos} needs a value")
        if tok.kind == "LPAREN":
            return self.group(name)
        self.take()
        return self.leaf(name, tok)

    def leaf(self, field: str, tok: Tok) -> Node:
        text = tok.text
        if tok.kind == "WORD" and text == "*":
            return MatchAll()
        prefix = tok.kind == "WORD" and text.endswith("*")
        words = tokens(text[:-1] if prefix else text)
        if not words:
            raise InvalidAuditQuery(f"{text!r} at position {tok.pos} has no letters or digits to search for")
        return Term(field, tuple(words), prefix)

    def date_range(self, field_tok: Tok) -> Node:
        open_tok = self.peek()
        if open_tok is None or open_tok.kind != "LBRACKET":
            raise InvalidAuditQuery(
                f"field 'date' at position {field_tok.pos} takes a range such as [2024-01-01T00:00:00Z TO *]"
            )
        self.take()
        bounds: list[Tok] = []
        while (tok := self.peek()) is not None and tok.kind != "RBRACKET":
            bounds.append(self.take())
        if tok is None:
            raise InvalidAuditQuery(f"unterminated date range at position {open_tok.pos}")
        close_tok = self.take()
        if len(bounds) != 3 or bounds[1].text != "TO" or any(b.kind != "WORD" for b in bounds):
            raise InvalidAuditQuery(f"date range at position {open_tok.pos} must read [<from> TO <to>]")
        return DateRange(
            _instant(bounds[0]),
            _instant(bounds[2]),
            low_inclusive=open_tok.text == "[",
            high_inclusive=close_tok.text == "]",
        )


def _instant(tok: Tok) -> int | None:
    """A range bound as UNIX microseconds; ``*`` is open."""
    if tok.text == "*":
        return None
    if tok.text.isdigit():
        return int(tok.text)
    try:
        moment = datetime.fromisoformat(tok.text)
    except ValueError:
        raise InvalidAuditQuery(
            f"{tok.text!r} at position {tok.pos} is neither an RFC 3339 date nor microseconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def parse(query: str) -> Node:
    """Parse a query; raises :class:`InvalidAuditQuery` saying what is wrong and where."""
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidAuditQuery(f"longer than {MAX_QUERY_LENGTH} characters")
    return _Parser(lex(query)).parse()


def fts_match(term: Term) -> str:
    """The FTS5 MATCH expression of a term: a column filter and a quoted phrase (tokens are alphanumeric)."""
    phrase = '"' + " ".join(term.words) + '"'
    return f"{{{term.column}}} : {phrase}{' *' if term.prefix else ''}"


def to_sql(node: Node, fts_table: str) -> tuple[str, list[object]]:
    """A SQL condition over the entries table (``id``, ``microsecond``) and its parameters."""
    params: list[object] = []

    def render(n: Node) -> str:
        match n:
            case MatchAll():
                return "1"
            case Term():
                params.append(fts_match(n))
                return f"id IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)"
            case DateRange():
                conds = []
                if n.low is not None:
                    conds.append(f"microsecond {'>=' if n.low_inclusive else '>'} ?")
                    params.append(n.low)
                if n.high is not None:
                    conds.append(f"microsecond {'<=' if n.high_inclusive else '<'} ?")
                    params.append(n.high)
                return "(" + " AND ".join(conds) + ")" if conds else "1"
            case And():
                return "(" + " AND ".join(render(p) for p in n.parts) + ")"
            case Or():
                return "(" + " OR ".join(render(p) for p in n.parts) + ")"
            case Not():
                return f"NOT {render(n.part)}"
        raise AssertionError(n)  # pragma: no cover

    return render(node), params
