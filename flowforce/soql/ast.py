"""SOQL syntax tree: plain frozen dataclasses.

The parser produces these from text and Get Records builds them directly (no string formatting, so
no quoting bugs). Every node may carry the source position it was parsed from; positions never take
part in equality, so a parsed query equals the same query built by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Position:
    """1-based row and column of a node in the SOQL text, as Salesforce reports them."""

    row: int
    column: int


@dataclass(frozen=True)
class Node:
    pos: Position | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True)
class FieldPath(Node):
    """`Name`, `Account.Owner.Name`, `Parent__r.Custom__c`: relationship names then a field name."""

    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.parts, str):
            object.__setattr__(self, "parts", tuple(self.parts.split(".")))
        elif not isinstance(self.parts, tuple):
            object.__setattr__(self, "parts", tuple(self.parts))

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class FunctionCall(Node):
    """An aggregate (`COUNT(Id)`, `SUM(Amount)`) or date function (`CALENDAR_YEAR(CreatedDate)`).

    `COUNT()` has no arguments. The name keeps the author's casing; lookups fold it.
    """

    name: str
    args: tuple[Expr, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.args, tuple):
            object.__setattr__(self, "args", tuple(self.args))


@dataclass(frozen=True)
class FieldsMacro(Node):
    """`FIELDS(ALL)`, `FIELDS(STANDARD)` or `FIELDS(CUSTOM)` in a select list."""

    kind: str  # "ALL" | "STANDARD" | "CUSTOM"


@dataclass(frozen=True)
class Alias(Node):
    """`COUNT(Id) total`: an aliased select item (aggregate queries only)."""

    expr: Expr
    name: str


@dataclass(frozen=True)
class Literal(Node):
    """A constant: str, Decimal/int/float, bool, None, date, datetime, or a list/tuple of those (IN)."""

    value: Any

    def __post_init__(self) -> None:
        if isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))


@dataclass(frozen=True)
class DateLiteral(Node):
    """A relative date range such as `TODAY` or `LAST_N_DAYS:30`, resolved when the query runs."""

    name: str
    n: int | None = None


@dataclass(frozen=True)
class Comparison(Node):
    """`field operator value`; operator is one of OPERATORS (upper case, `<>` normalised to `!=`).

    IN / NOT IN / INCLUDES / EXCLUDES take a `Literal` whose value is a tuple (its items may be
    `DateLiteral`s) or, for IN / NOT IN, a `Query` (semi-join / anti-join).
    """

    field: Expr
    operator: str
    value: Literal | DateLiteral | Query

    def __post_init__(self) -> None:
        op = " ".join(self.operator.upper().split())
        object.__setattr__(self, "operator", "!=" if op == "<>" else op)


@dataclass(frozen=True)
class And(Node):
    operands: tuple[Condition, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))


@dataclass(frozen=True)
class Or(Node):
    operands: tuple[Condition, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))


@dataclass(frozen=True)
class Not(Node):
    operand: Condition


@dataclass(frozen=True)
class OrderItem(Node):
    """One ORDER BY key; `nulls_first=None` means SOQL's default (ASC → first, DESC → last)."""

    expr: Expr
    descending: bool = False
    nulls_first: bool | None = None

    @property
    def effective_nulls_first(self) -> bool:
        return (not self.descending) if self.nulls_first is None else self.nulls_first


@dataclass(frozen=True)
class Query(Node):
    """A SELECT statement; as a select item it is a child-relationship subquery, as an IN value a semi-join.

    `source` is the text it was parsed from (used to frame error messages); not part of equality.
    """

    object_name: str
    fields: tuple[SelectItem, ...]
    where: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    group_by: tuple[Expr, ...] = ()
    having: Condition | None = None
    all_rows: bool = False
    for_update: bool = False
    for_view: bool = False
    for_reference: bool = False
    with_clause: str | None = None
    source: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("fields", "order_by", "group_by"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def to_soql(self) -> str:
        """The query as SOQL text (what a Get Records trace shows); parses back to an equal Query."""
        from flowforce.soql.printer import print_query

        return print_query(self)


Expr = FieldPath | FunctionCall
SelectItem = FieldPath | FunctionCall | FieldsMacro | Alias | Query
Condition = Comparison | And | Or | Not
Value = str | Decimal | int | float | bool | dt.date | dt.datetime | None

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN", "INCLUDES", "EXCLUDES")
