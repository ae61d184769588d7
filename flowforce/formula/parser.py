"""Source text → `ast` nodes, with Salesforce-style syntax error messages.

The Lark LALR parser is built once, lazily, and shared: flows compile every formula once at load time, so
construction cost matters more than per-parse cost.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from flowforce.formula.ast import Binary, Call, Literal, Node, Reference, Unary
from flowforce.formula.errors import FormulaSyntaxError
from flowforce.lark_cache import lalr_parser

# reference/flow-metadata.md §6: the Salesforce-wide formula limit (UNCONFIRMED for flows).
MAX_FORMULA_LENGTH = 3900

#: `Name.Field`, with a polymorphic relationship's object type after `:` (`$Record.What:Account.Name`)
PATH_RE = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+(?::[A-Za-z_][A-Za-z0-9_]*)?)*")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)", re.DOTALL)
_CANONICAL_OPS = {"==": "=", "!=": "<>"}


def unescape(body: str) -> str:
    """Decode backslash escapes; an unknown escape keeps its backslash (lenient, like a literal)."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE_RE.sub(replace, body)


class _ToAst(Transformer[Token, Node]):
    """Lark callbacks, run inline by the LALR parser, building `ast` nodes."""

    def number(self, items: list[Token]) -> Node:
        return Literal(Decimal(str(items[0])))

    def string(self, items: list[Token]) -> Node:
        return Literal(unescape(str(items[0])[1:-1]))

    def true(self, _items: list[Token]) -> Node:
        return Literal(True)

    def false(self, _items: list[Token]) -> Node:
        return Literal(False)

    def null(self, _items: list[Token]) -> Node:
        return Literal(None)

    def merge_field(self, items: list[Token]) -> Node:
        token = items[0]
        path = str(token)[2:-1].strip()
        if not PATH_RE.fullmatch(path):
            raise FormulaSyntaxError(f"invalid merge field '{token}'", token.line or 1, token.column or 1)
        return Reference(path, token.line or 1, token.column or 1)

    def name_ref(self, items: list[Token]) -> Node:
        token = items[0]
        return Reference(str(token), token.line or 1, token.column or 1)

    def call(self, items: list[Any]) -> Node:
        token, args = items
        if "." in token or token.startswith("$"):
            raise FormulaSyntaxError(f"'{token}' is not a function name", token.line or 1, token.column or 1)
        return Call(str(token).upper(), tuple(args or ()), token.line or 1, token.column or 1)

    def args(self, items: list[Node]) -> list[Node]:
        return items

    def binary(self, items: list[Any]) -> Node:
        left, op, right = items
        return Binary(_CANONICAL_OPS.get(str(op), str(op)), left, right)

    def unary(self, items: list[Any]) -> Node:
        op, operand = items
        return Unary(str(op), operand)

    def not_op(self, items: list[Any]) -> Node:
        token, operand = items
        # `NOT(x)` is written like a function call; record it as one so `Formula.functions` lists it.
        return Call("NOT", (operand,), token.line or 1, token.column or 1)


@cache
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return lalr_parser("formula", grammar, _ToAst())


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _position_of(text: str, index: int) -> tuple[int, int]:
    return _end_position(text[:index])


def _describe(error: UnexpectedInput, text: str) -> FormulaSyntaxError:
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token = error.token
        return FormulaSyntaxError(f"unexpected '{token}'", token.line or 1, token.column or 1)
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream or 0]
        what = "unterminated string" if char in ("'", '"') else f"unexpected character '{char}'"
        return FormulaSyntaxError(what, error.line, error.column)
    line, column = _end_position(text)
    return FormulaSyntaxError("unexpected end of formula", line, column)


def parse(text: str) -> Node:
    """Parse formula source into an AST, raising `FormulaSyntaxError` with a line and column."""
    if len(text) > MAX_FORMULA_LENGTH:
        line, column = _position_of(text, MAX_FORMULA_LENGTH)
        raise FormulaSyntaxError(
            f"formula is too long ({len(text)} characters); the maximum is {MAX_FORMULA_LENGTH:,}",
            line,
            column,
        )
    if not text.strip():
        raise FormulaSyntaxError("the formula is empty", 1, 1)
    try:
        tree: Any = _lark().parse(text)
    except (UnexpectedToken, UnexpectedCharacters, UnexpectedEOF) as error:
        raise _describe(error, text) from None
    return tree  # the inline transformer already produced an AST node
