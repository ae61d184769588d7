"""Data-element filters (reference/flow-metadata.md §5.4) as SOQL conditions and as record predicates.

Get Records bulkifies by sending one query for every interview at the element; when interviews ask for
different values, the combined query ORs their conditions and each interview keeps the rows that match its
own — which needs the same filter as a Python predicate with SOQL's semantics (case-insensitive text, ids
in 15 or 18 characters, `In` over an empty list matches nothing, `NotIn` over one matches everything).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from flowforce.engine.condition_logic import combine, fold_logic
from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.operators import COMPARATORS
from flowforce.engine.program import Program
from flowforce.metadata.logic import parse_condition_logic
from flowforce.metadata.model import RecordFilter
from flowforce.records.ids import is_id, to_18
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

    def combined(self, questions: Sequence[tuple[Bound, ...]]) -> ast.Condition | None:
        """One WHERE for several interviews' questions.

        The common bulk case — ANDed equality filters where only one value differs between interviews
        (`Id = {!recordId}`) — becomes `field IN (…)` plus the shared filters, which is what a hand-written
        bulkified query would say and compiles in constant time; anything else is the OR of the questions.
        """
        if len(questions) == 1:
            return self.condition(questions[0])
        first = questions[0]
        anded = (self.logic or "and").strip().lower() == "and"
        varying = [index for index in range(len(first))
                   if len({freeze(question[index][2]) for question in questions}) > 1]
        if anded and len(varying) == 1 and first[varying[0]][1] == "EqualTo":
            position = varying[0]
            values = list(dict.fromkeys(question[position][2] for question in questions))
            if all(value is not None and not isinstance(value, (list, tuple)) for value in values):
                field = first[position][0]
                leaves = [soql_condition(*item) for index, item in enumerate(first) if index != position]
                leaves.append(ast.Comparison(field_path(field), "IN", ast.Literal(tuple(values))))
                return leaves[0] if len(leaves) == 1 else ast.And(tuple(leaves))
        conditions = [self.condition(question) for question in questions]
        if any(condition is None for condition in conditions):
            return None
        return ast.Or(tuple(c for c in conditions if c is not None))

    # ------------------------------------------------------------------------------------------ Python

    def matches(self, record: Record, bound: tuple[Bound, ...]) -> bool:
        return self.predicate(bound)(record)

    def predicate(self, bound: tuple[Bound, ...]) -> Callable[[Record], bool]:
        """The filters with these values as one predicate over records (the logic parsed once)."""
        if not bound:
            return lambda record: True
        leaves = [partial(record_matches, field=field, operator=operator, value=value)
                  for field, operator, value in bound]
        return combine(self.logic, leaves)

    def select(self, rows: Sequence[Record], questions: dict[Any, tuple[Bound, ...]]) -> dict[Any, list[Record]]:
        """Each question's rows among *rows* (in their order).

        Checking every row against every question is quadratic (200 interviews x 200 rows), so when the
        filters are ANDed, a question with an `EqualTo` on a plain value only looks at the rows whose field
        has an equal key; the full predicate still decides.
        """
        anded = (self.logic or "and").strip().lower() == "and"
        indexes: dict[str, dict[Any, list[Record]] | None] = {}
        answers: dict[Any, list[Record]] = {}
        for key, bound in questions.items():
            test = self.predicate(bound)
            candidates: Sequence[Record] = rows
            if anded:
                for field, operator, value in bound:
                    wanted = equality_key(value) if operator == "EqualTo" else None
                    if wanted is None:
                        continue
                    if field not in indexes:
                        indexes[field] = index_rows(rows, field)
                    index = indexes[field]
                    if index is not None:
                        candidates = index.get(wanted, [])
                        break
            answers[key] = [row for row in candidates if test(row)]
        return answers


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


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and is_id(value):
        return to_18(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def field_value(record: Record, field: str) -> Any:
    actual: Any = record
    for part in field.split("."):
        actual = actual.get(part) if isinstance(actual, Record) else None
    return actual


def equality_key(value: Any) -> Any:
    """A hashable key that values equal under `EqualTo` share (None: no such key for this value)."""
    value = _comparable(value)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, str):
        return ("s", value.casefold())
    if isinstance(value, Decimal):
        return ("n", value)
    return None


def index_rows(rows: Sequence[Record], field: str) -> dict[Any, list[Record]] | None:
    """Rows by the equality key of *field*; None when some value has no key (then scan instead)."""
    index: dict[Any, list[Record]] = {}
    for row in rows:
        actual = field_value(row, field)
        if actual is None:
            continue
        key = equality_key(actual)
        if key is None:
            return None
        index.setdefault(key, []).append(row)
    return index


def record_matches(record: Record, field: str, operator: str, value: Any) -> bool:
    actual = field_value(record, field)
    actual, value = _comparable(actual), _comparable(value)
    if operator in LIKE_PATTERNS:
        if actual is None or value is None:
            return False
        text, needle = str(actual).casefold(), str(value).casefold()
        return {"StartsWith": text.startswith, "EndsWith": text.endswith,
                "Contains": lambda n: n in text}[operator](needle)
    if operator in ("In", "NotIn"):
        items = [_comparable(item) for item in (value if isinstance(value, (list, tuple)) else [value])
                 if item is not None]
        found = any(COMPARATORS["EqualTo"](actual, item) for item in items)
        return found if operator == "In" else not found
    if operator == "IsNull":
        return (actual is None) == (True if value is None else bool(value))
    if operator == "NotEqualTo":
        return not COMPARATORS["EqualTo"](actual, value)
    return COMPARATORS[operator](actual, value)
