"""Custom condition logic (`1 AND (2 OR NOT 3)`) for decisions, waits, collection filters and record filters.

Parsed once at load time so that a bad expression makes the flow an InvalidDraft instead of failing an
interview halfway; the engine evaluates the same tree (reference/flow-metadata.md §5.2: integers, AND, OR,
NOT, parentheses, case-insensitive; `and`/`or` alone combine every condition).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: conditionLogic value of the "Formula Evaluates to True" option (collection filters, decision outcomes).
FORMULA_LOGIC = "formula_evaluates_to_true"

_TOKEN = re.compile(r"\s*(?:(\d+)|(\()|(\))|([A-Za-z]+)|(\S))")


class ConditionLogicError(ValueError):
    """The logic text is not a valid expression over the element's conditions."""


@dataclass(frozen=True, slots=True)
class Index:
    number: int  # 1-based, as written

    def evaluate(self, results: Sequence[bool]) -> bool:
        return results[self.number - 1]


@dataclass(frozen=True, slots=True)
class Not:
    operand: LogicExpr

    def evaluate(self, results: Sequence[bool]) -> bool:
        return not self.operand.evaluate(results)


@dataclass(frozen=True, slots=True)
class Junction:
    """AND or OR over two or more operands."""

    op: str  # "AND" | "OR"
    operands: tuple[LogicExpr, ...]

    def evaluate(self, results: Sequence[bool]) -> bool:
        combine = all if self.op == "AND" else any
        return combine(operand.evaluate(results) for operand in self.operands)


LogicExpr = Index | Not | Junction


def parse_condition_logic(text: str | None, count: int) -> LogicExpr:
    """Parse *text* for an element with *count* conditions; None/empty means `and`."""
    stripped = (text or "and").strip()
    if stripped.lower() in ("and", "or"):
        if count == 0:
            raise ConditionLogicError("there are no conditions")
        op = stripped.upper()
        return Junction(op, tuple(Index(i) for i in range(1, count + 1)))
    return _Parser(stripped, count).parse()


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary (AND unary)*."""

    def __init__(self, text: str, count: int) -> None:
        self.text = text
        self.count = count
        self.tokens = self._tokenize(text)
        self.position = 0

    def _tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        for match in _TOKEN.finditer(text):
            number, opening, closing, word, other = match.groups()
            if other is not None:
                raise ConditionLogicError(f"unexpected character {other!r} in condition logic {text!r}")
            if word is not None:
                if word.upper() not in ("AND", "OR", "NOT"):
                    raise ConditionLogicError(f"unexpected word {word!r} in condition logic {text!r}")
                tokens.append(word.upper())
            else:
                tokens.append(number or opening or closing)
        return tokens

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str | None:
        token = self._peek()
        self.position += 1
        return token

    def _fail(self, what: str) -> ConditionLogicError:
        return ConditionLogicError(f"{what} in condition logic {self.text!r}")

    def parse(self) -> LogicExpr:
        if not self.tokens:
            raise self._fail("nothing")
        expr = self._junction("OR", self._and_expr)
        if self._peek() is not None:
            raise self._fail(f"unexpected {self._peek()!r}")
        return expr

    def _and_expr(self) -> LogicExpr:
        return self._junction("AND", self._unary)

    def _junction(self, op: str, parse_operand: Callable[[], LogicExpr]) -> LogicExpr:
        operands = [parse_operand()]
        while self._peek() == op:
            self._take()
            operands.append(parse_operand())
        return operands[0] if len(operands) == 1 else Junction(op, tuple(operands))

    def _unary(self) -> LogicExpr:
        token = self._take()
        if token == "NOT":
            return Not(self._unary())
        if token == "(":
            inner = self._junction("OR", self._and_expr)
            if self._take() != ")":
                raise self._fail("a missing ')'")
            return inner
        if token is not None and token.isdigit():
            number = int(token)
            if not 1 <= number <= self.count:
                raise ConditionLogicError(
                    f"condition logic {self.text!r} refers to condition {number}, "
                    f"but there {'is' if self.count == 1 else 'are'} only {self.count}"
                )
            return Index(number)
        raise self._fail("unexpected end" if token is None else f"unexpected {token!r}")
