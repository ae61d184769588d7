"""The resolved query: AST names bound to schema objects, literals typed for their fields.

The resolver produces these and the translator consumes them; neither the AST nor SQL appears here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowforce.records.schema import ChildRelationship, FieldSchema, FieldType, ObjectSchema
from flowforce.soql import ast


@dataclass(frozen=True)
class Step:
    """One parent-relationship hop; several targets for a polymorphic reference (Owner → User, Group)."""

    reference: FieldSchema
    targets: tuple[ObjectSchema, ...]

    @property
    def name(self) -> str:
        return self.reference.relationship_name or self.reference.name


@dataclass(frozen=True)
class BoundField:
    """A field reached through zero or more parent relationships.

    `owners` pairs each object that can hold the field with its schema: one pair, or one per
    target of a polymorphic last hop (the value is whichever target the row points to).
    """

    steps: tuple[Step, ...]
    owners: tuple[tuple[ObjectSchema, FieldSchema], ...]
    pos: ast.Position | None = field(default=None, compare=False)

    @property
    def schema(self) -> FieldSchema:
        return self.owners[0][1]

    @property
    def name(self) -> str:
        return self.schema.name

    @property
    def type(self) -> FieldType:
        return self.schema.type

    @property
    def path_key(self) -> tuple[str, ...]:
        return tuple(step.reference.name.lower() for step in self.steps)

    @property
    def key(self) -> tuple[str, ...]:
        return (*self.path_key, self.name.lower())


@dataclass(frozen=True)
class BoundFunction:
    """An aggregate or date function; `arg` is None only for `COUNT()`."""

    name: str
    arg: BoundField | BoundFunction | None
    result_type: FieldType
    aggregate: bool
    pos: ast.Position | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.name, self.arg.key if self.arg is not None else None)


BoundExpr = BoundField | BoundFunction


@dataclass(frozen=True)
class DateRange:
    """A relative date literal (`TODAY`, `LAST_N_DAYS:7`); its dates are computed when the query runs."""

    name: str
    n: int | None


@dataclass(frozen=True)
class BoundComparison:
    """`values` holds typed Python values (and DateRanges) — one unless the operator takes a list."""

    lhs: BoundExpr
    operator: str
    values: tuple[Any, ...] = ()
    subquery: ResolvedQuery | None = None


@dataclass(frozen=True)
class BoundLogic:
    operator: str  # "AND" | "OR"
    operands: tuple[BoundCondition, ...]


@dataclass(frozen=True)
class BoundNot:
    operand: BoundCondition


BoundCondition = BoundComparison | BoundLogic | BoundNot


@dataclass(frozen=True)
class OutputColumn:
    """One selected value and the key it is returned under (field name, alias or exprN)."""

    expr: BoundExpr
    name: str


@dataclass(frozen=True)
class OrderKey:
    expr: BoundExpr
    descending: bool
    nulls_first: bool


@dataclass(frozen=True)
class ResolvedChild:
    """A child-relationship subquery (`SELECT … FROM Contacts` inside an Account query)."""

    relationship: ChildRelationship
    name: str
    query: ResolvedQuery
    foreign_key: FieldSchema


@dataclass(frozen=True)
class ResolvedQuery:
    obj: ObjectSchema
    kind: str  # "records" | "aggregate" | "count"
    columns: tuple[OutputColumn, ...]
    children: tuple[ResolvedChild, ...] = ()
    where: BoundCondition | None = None
    group_by: tuple[BoundExpr, ...] = ()
    having: BoundCondition | None = None
    order_by: tuple[OrderKey, ...] = ()
    limit: int | None = None
    offset: int | None = None
    all_rows: bool = False
    for_update: bool = False


def touched_objects(query: ResolvedQuery) -> list[ObjectSchema]:
    """Every object a query reads, in first-seen order: its FROM, each parent a field path, filter, ordering or
    grouping goes through, child subqueries and semi-joins. A caller's read permission must cover them all
    (issue 9: `SELECT Account.Name FROM Contact` once read Accounts with only Contact access)."""
    seen: dict[str, ObjectSchema] = {}
    _touch_query(query, seen)
    return list(seen.values())


def _touch_query(query: ResolvedQuery, seen: dict[str, ObjectSchema]) -> None:
    seen.setdefault(query.obj.name, query.obj)
    for expr in [*(c.expr for c in query.columns), *query.group_by, *(k.expr for k in query.order_by)]:
        _touch_expr(expr, seen)
    for condition in (query.where, query.having):
        if condition is not None:
            _touch_condition(condition, seen)
    for child in query.children:
        _touch_query(child.query, seen)


def _touch_expr(expr: BoundExpr | None, seen: dict[str, ObjectSchema]) -> None:
    if isinstance(expr, BoundFunction):
        _touch_expr(expr.arg, seen)
    elif isinstance(expr, BoundField):
        for step in expr.steps:
            for target in step.targets:
                seen.setdefault(target.name, target)


def _touch_condition(condition: BoundCondition, seen: dict[str, ObjectSchema]) -> None:
    if isinstance(condition, BoundComparison):
        _touch_expr(condition.lhs, seen)
        if condition.subquery is not None:
            _touch_query(condition.subquery, seen)
    elif isinstance(condition, BoundLogic):
        for operand in condition.operands:
            _touch_condition(operand, seen)
    else:
        _touch_condition(condition.operand, seen)
