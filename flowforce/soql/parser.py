"""SOQL text → `ast.Query`.

lark does the tokenizing and LALR parsing with the AST built inline (no intermediate parse tree),
and lark's errors become MALFORMED_QUERY errors placed the way Salesforce places them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, cast

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from flowforce.lark_cache import lalr_parser
from flowforce.soql import ast
from flowforce.soql.date_literals import check_date_literal
from flowforce.soql.errors import MalformedQueryError

_FIELDS_KINDS = ("ALL", "STANDARD", "CUSTOM")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):?(\d{2}))", re.I
)


def parse_soql(text: str) -> ast.Query:
    """Parse one SOQL statement; raises MalformedQueryError with Salesforce's framing."""
    if "\x00" in text:  # no record can hold it, and PostgreSQL refuses it as a parameter (issue 9 item 5)
        line = text[: text.index("\x00")].count("\n") + 1
        column = text.index("\x00") - (text.rfind("\n", 0, text.index("\x00")) + 1) + 1
        raise MalformedQueryError(f"line {line}:{column - 1} no viable alternative at character '\\u0000'",
                                  ast.Position(line, column), text)
    try:
        query = cast(ast.Query, _lark().parse(text))
    except MalformedQueryError as error:
        raise error.located(error.position, text) from None
    except UnexpectedInput as error:
        raise _malformed(error, text) from None
    return _with_source(query, text)


def _with_source(query: ast.Query, text: str) -> ast.Query:
    object.__setattr__(query, "source", text)
    return query


def _malformed(error: UnexpectedInput, text: str) -> MalformedQueryError:
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        return MalformedQueryError("unexpected token: '<EOF>'", _end_position(text), text)
    if isinstance(error, UnexpectedToken):
        token = error.token
        return MalformedQueryError(f"unexpected token: '{token}'", _position(token), text)
    if isinstance(error, UnexpectedCharacters):
        detail = f"line {error.line}:{error.column - 1} no viable alternative at character '{error.char}'"
        return MalformedQueryError(detail, ast.Position(error.line, error.column), text)
    return MalformedQueryError("unexpected token: '<EOF>'", _end_position(text), text)


def _end_position(text: str) -> ast.Position:
    """Just past the last non-blank character: where Salesforce points for `<EOF>`."""
    body = text.rstrip()
    row = body.count("\n") + 1
    return ast.Position(row, len(body) - (body.rfind("\n") + 1) + 1)


def _position(token: Token) -> ast.Position:
    return ast.Position(token.line or 1, token.column or 1)


@cache
def _lark() -> Lark:
    grammar = resources.files("flowforce.soql").joinpath("grammar.lark").read_text(encoding="utf-8")
    return lalr_parser("soql", grammar, _AstBuilder())


class _AstBuilder(Transformer[Any, Any]):
    """Inline LALR callbacks: each method receives its rule's children already converted."""

    def start(self, children: list[Any]) -> ast.Query:
        return children[0]

    # --- query and clauses -------------------------------------------------------------------------
    def query(self, children: list[Any]) -> ast.Query:
        (_, items), (_, (object_name, object_pos)), *clauses = children
        options: dict[str, Any] = {}
        for key, value in clauses:
            options[key] = value
        return ast.Query(object_name, tuple(items), pos=object_pos, **options)

    def select_clause(self, children: list[Any]) -> tuple[str, list[Any]]:
        return "fields", children[1:]

    def field_item(self, children: list[Any]) -> Any:
        expr = children[0]
        if len(children) == 1:
            return expr
        return ast.Alias(expr, str(children[1]), pos=_position(children[1]))

    def subquery(self, children: list[Any]) -> ast.Query:
        return children[0]

    def from_clause(self, children: list[Any]) -> tuple[str, tuple[str, ast.Position]]:
        return "from", (str(children[1]), _position(children[1]))

    def where_clause(self, children: list[Any]) -> tuple[str, Any]:
        return "where", children[1]

    def with_clause(self, children: list[Any]) -> tuple[str, str]:
        return "with_clause", str(children[1]).upper()

    def group_by_clause(self, children: list[Any]) -> tuple[str, tuple[Any, ...]]:
        return "group_by", tuple(children[2:])

    def having_clause(self, children: list[Any]) -> tuple[str, Any]:
        return "having", children[1]

    def order_by_clause(self, children: list[Any]) -> tuple[str, tuple[Any, ...]]:
        return "order_by", tuple(children[2:])

    def order_item(self, children: list[Any]) -> ast.OrderItem:
        expr, *modifiers = children
        options = dict(modifiers)
        return ast.OrderItem(expr, options.get("desc", False), options.get("nulls_first"), pos=expr.pos)

    def direction(self, children: list[Token]) -> tuple[str, bool]:
        return "desc", children[0].type == "DESC"

    def nulls(self, children: list[Token]) -> tuple[str, bool]:
        return "nulls_first", children[1].type == "FIRST"

    def limit_clause(self, children: list[Token]) -> tuple[str, int]:
        return "limit", int(children[1])

    def offset_clause(self, children: list[Token]) -> tuple[str, int]:
        return "offset", int(children[1])

    def for_update(self, _: list[Token]) -> tuple[str, bool]:
        return "for_update", True

    def for_view(self, _: list[Token]) -> tuple[str, bool]:
        return "for_view", True

    def for_reference(self, _: list[Token]) -> tuple[str, bool]:
        return "for_reference", True

    def all_rows(self, _: list[Token]) -> tuple[str, bool]:
        return "all_rows", True

    # --- expressions ---------------------------------------------------------------------------------
    def field_path(self, children: list[Token]) -> ast.FieldPath:
        return ast.FieldPath(tuple(str(part) for part in children), pos=_position(children[0]))

    def function_call(self, children: list[Any]) -> ast.FunctionCall | ast.FieldsMacro:
        name, *args = children
        args = [arg for arg in args if arg is not None]
        position = _position(name)
        if str(name).upper() == "FIELDS" and len(args) == 1 and isinstance(args[0], ast.FieldPath):
            kind = args[0].dotted.upper()
            if kind in _FIELDS_KINDS:
                return ast.FieldsMacro(kind, pos=position)
        return ast.FunctionCall(str(name), tuple(args), pos=position)

    # --- conditions ----------------------------------------------------------------------------------
    def and_(self, children: list[Any]) -> ast.And:
        operands = tuple(child for child in children if not isinstance(child, Token))
        return ast.And(operands, pos=operands[0].pos)

    def or_(self, children: list[Any]) -> ast.Or:
        operands = tuple(child for child in children if not isinstance(child, Token))
        return ast.Or(operands, pos=operands[0].pos)

    def not_(self, children: list[Any]) -> ast.Not:
        return ast.Not(children[1], pos=_position(children[0]))

    def compare(self, children: list[Any]) -> ast.Comparison:
        lhs, operator, value = children
        return ast.Comparison(lhs, str(operator), value, pos=lhs.pos)

    def like(self, children: list[Any]) -> ast.Comparison:
        return ast.Comparison(children[0], "LIKE", children[2], pos=children[0].pos)

    def in_(self, children: list[Any]) -> ast.Comparison:
        return ast.Comparison(children[0], "IN", children[2], pos=children[0].pos)

    def not_in(self, children: list[Any]) -> ast.Comparison:
        return ast.Comparison(children[0], "NOT IN", children[3], pos=children[0].pos)

    def includes(self, children: list[Any]) -> ast.Comparison:
        return ast.Comparison(children[0], "INCLUDES", children[2], pos=children[0].pos)

    def excludes(self, children: list[Any]) -> ast.Comparison:
        return ast.Comparison(children[0], "EXCLUDES", children[2], pos=children[0].pos)

    # --- values --------------------------------------------------------------------------------------
    def value_list(self, children: list[Any]) -> ast.Literal:
        items = tuple(child.value if isinstance(child, ast.Literal) else child for child in children)
        return ast.Literal(items, pos=children[0].pos)

    def string(self, children: list[Token]) -> ast.Literal:
        return ast.Literal(unescape(str(children[0])[1:-1]), pos=_position(children[0]))

    def number(self, children: list[Token]) -> ast.Literal:
        return ast.Literal(Decimal(str(children[0])), pos=_position(children[0]))

    def date(self, children: list[Token]) -> ast.Literal:
        token = children[0]
        try:
            return ast.Literal(dt.date.fromisoformat(str(token)), pos=_position(token))
        except ValueError:
            raise MalformedQueryError(f"unexpected token: '{token}'", _position(token)) from None

    def datetime(self, children: list[Token]) -> ast.Literal:
        token = children[0]
        try:
            return ast.Literal(parse_datetime(str(token)), pos=_position(token))
        except ValueError:
            raise MalformedQueryError(f"unexpected token: '{token}'", _position(token)) from None

    def true(self, children: list[Token]) -> ast.Literal:
        return ast.Literal(True, pos=_position(children[0]))

    def false(self, children: list[Token]) -> ast.Literal:
        return ast.Literal(False, pos=_position(children[0]))

    def null(self, children: list[Token]) -> ast.Literal:
        return ast.Literal(None, pos=_position(children[0]))

    def date_literal(self, children: list[Any]) -> ast.DateLiteral:
        name, number = children[0], children[1] if len(children) > 1 else None
        n = None if number is None else _integer(number)
        problem = check_date_literal(str(name), n)
        if problem is not None:
            bad = name if number is None or problem == "name" else number
            raise MalformedQueryError(f"unexpected token: '{bad}'", _position(bad))
        return ast.DateLiteral(str(name).upper(), n, pos=_position(name))


def _integer(token: Token) -> int | None:
    text = str(token)
    return int(text) if text.lstrip("+-").isdigit() else None


def unescape(body: str) -> str:
    """Decode SOQL string escapes; `\\%` and `\\_` stay escaped because they only mean something to LIKE."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in ("%", "_"):
            return "\\" + code
        if len(code) == 5 and code[0] in "uU":
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code.lower(), code)

    return _ESCAPE_RE.sub(replace, body)


def parse_datetime(text: str) -> dt.datetime:
    """`2024-01-31T10:00:00Z` / `…00.000+0000` / `…00+01:00` → an aware UTC datetime."""
    match = _DATETIME_RE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = dt.timedelta(0)
    if not zulu:
        offset = dt.timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
    value = dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, dt.timezone(offset)
    )
    return value.astimezone(dt.UTC)
