"""Data-element filters (reference/flow-metadata.md §5.4) as SOQL conditions — their only meaning: whether a
row matches is always decided by the database (`In` over an empty list matches nothing, `NotIn` over one
matches everything, H-FILTER).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flowforce.engine.condition_logic import fold_logic
from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.program import Program
from flowforce.metadata.logic import parse_condition_logic
from flowforce.metadata.model import RecordFilter
from flowforce.records.record import Record
from flowforce.soql import ast

SOQL_OPERATORS = {"EqualTo": "=", "NotEqualTo": "!=", "GreaterThan": ">", "LessThan": "<",
                  "GreaterThanOrEqualTo": ">=", "LessThanOrEqualTo": "<="}
LIKE_PATTERNS = {"StartsWith": "{}%", "EndsWith": "%{}", "Contains": "%{}%"}
Bound = tuple[str, str, Any]  # field, operator, value — one filter with this interview's value


def freeze(value: Any) -> Any:
    """A hashable stand-in for a filter value, to group interviews that ask the same question."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    if isinstance(value, Record):
        return ("record", value.id)
    return value


class FilterSet:
    """The filters of one element, compiled against its program."""

    def __init__(self, program: Program, filters: Sequence[RecordFilter], logic: str | None) -> None:
        self.filters = list(filters)
        self.logic = logic
        self.values: list[Callable[[Interview], Any]] = [program.value(f.value) for f in filters]
        for item in filters:
            if item.operator not in SOQL_OPERATORS and item.operator not in LIKE_PATTERNS \
                    and item.operator not in ("IsNull", "In", "NotIn"):
                raise ValueError(f"the filter operator {item.operator} is not supported in data elements")
        if filters:
            parse_condition_logic(logic, len(filters))  # a malformed logic fails at compile time

    def bind(self, iv: Interview) -> tuple[Bound, ...]:
        """This interview's filter values; a value that can't be read faults the element."""
        try:
            return tuple((f.field, f.operator, getter(iv)) for f, getter in zip(self.filters, self.values))
        except ElementFault:
            raise

    # ------------------------------------------------------------------------------------------ SOQL

    def condition(self, bound: tuple[Bound, ...]) -> ast.Condition | None:
        if not bound:
            return None
        leaves = [soql_condition(*item) for item in bound]
        return fold_logic(self.logic, leaves, all_of=lambda parts: ast.And(tuple(parts)),
                          any_of=lambda parts: ast.Or(tuple(parts)), negate=ast.Not)

    def varying_equality(self, questions: Sequence[tuple[Bound, ...]]) -> int | None:
        """The position of the one `EqualTo` filter whose value differs between ANDed questions, if that is
        the only difference (the bulk `Id = {!recordId}` shape), else None."""
        if (self.logic or "and").strip().lower() != "and":
            return None
        first = questions[0]
        varying = [index for index in range(len(first))
                   if len({freeze(question[index][2]) for question in questions}) > 1]
        if len(varying) != 1 or first[varying[0]][1] != "EqualTo":
            return None
        return varying[0]

    def in_condition(self, questions: Sequence[tuple[Bound, ...]], position: int) -> ast.Condition:
        """The shared filters plus `field IN (every question's value)`: what a hand-written bulkified query says."""
        first = questions[0]
        values = tuple(dict.fromkeys(question[position][2] for question in questions))
        leaves = [soql_condition(*item) for index, item in enumerate(first) if index != position]
        leaves.append(ast.Comparison(field_path(first[position][0]), "IN", ast.Literal(values)))
        return leaves[0] if len(leaves) == 1 else ast.And(tuple(leaves))


def field_path(name: str) -> ast.FieldPath:
    return ast.FieldPath(tuple(name.split(".")))


def _never() -> ast.Condition:
    return ast.Comparison(ast.FieldPath(("Id",)), "=", ast.Literal(None))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def soql_condition(field: str, operator: str, value: Any) -> ast.Condition:
    path = field_path(field)
    if operator in SOQL_OPERATORS:
        return ast.Comparison(path, SOQL_OPERATORS[operator], ast.Literal(value))
    if operator in LIKE_PATTERNS:
        if value is None:
            return _never()
        pattern = LIKE_PATTERNS[operator].format(_like_escape(str(value)))
        return ast.Comparison(path, "LIKE", ast.Literal(pattern))
    if operator == "IsNull":
        wanted = True if value is None else bool(value)
        return ast.Comparison(path, "=" if wanted else "!=", ast.Literal(None))
    items = tuple(value) if isinstance(value, (list, tuple)) else (() if value is None else (value,))
    if operator == "In":
        return ast.Comparison(path, "IN", ast.Literal(items)) if items else _never()
    # NotIn over an empty collection matches every record (H-FILTER).
    return ast.Comparison(path, "NOT IN", ast.Literal(items)) if items else ast.Not(_never())
