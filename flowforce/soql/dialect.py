"""The only place SQLite and PostgreSQL differ for SOQL: custom SQL constructs compiled per dialect.

The translator builds one dialect-neutral SQLAlchemy statement out of these constructs; SQLAlchemy
compiles (and caches) it separately for each engine, so a compiled SOQL query runs on both stores.
Portable pieces (case folding with lower(), ILIKE, `||`) need no entry here: SQLAlchemy already
renders them per dialect.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

# strftime() formats for SQLite; EXTRACT() fields for PostgreSQL. `dow` is 0 = Sunday on both.
_SQLITE_PARTS = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "dow": "%w", "doy": "%j"}
_PG_PARTS = {"year": "YEAR", "month": "MONTH", "day": "DAY", "hour": "HOUR", "dow": "DOW", "doy": "DOY"}


class DatePart(FunctionElement[int]):
    """An integer part of a date or datetime (year, month, day, hour, dow, doy), in UTC."""

    type = sa.Integer()
    inherit_cache = True
    name = "date_part"
    # The part must be in the cache key, or SQLAlchemy would reuse YEAR's SQL for MONTH.
    _traverse_internals = [*FunctionElement._traverse_internals, ("part", InternalTraversal.dp_string)]

    def __init__(self, part: str, expr: ColumnElement[Any]) -> None:
        self.part = part
        super().__init__(expr)


class DateOnly(FunctionElement[Any]):
    """The date of a datetime (SOQL `DAY_ONLY`)."""

    type = sa.Date()
    inherit_cache = True
    name = "date_only"


@compiles(DatePart, "sqlite")
def _date_part_sqlite(element: DatePart, compiler: SQLCompiler, **kw: Any) -> str:
    (expr,) = element.clauses
    return f"CAST(STRFTIME('{_SQLITE_PARTS[element.part]}', {compiler.process(expr, **kw)}) AS INTEGER)"


@compiles(DatePart)
def _date_part_default(element: DatePart, compiler: SQLCompiler, **kw: Any) -> str:
    (expr,) = element.clauses
    return f"CAST(EXTRACT({_PG_PARTS[element.part]} FROM {compiler.process(expr, **kw)}) AS INTEGER)"


@compiles(DateOnly, "sqlite")
def _date_only_sqlite(element: DateOnly, compiler: SQLCompiler, **kw: Any) -> str:
    return f"DATE({compiler.process(element.clauses, **kw)})"


@compiles(DateOnly)
def _date_only_default(element: DateOnly, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class OrderKey(ColumnElement[Any]):
    """One ORDER BY key with SOQL's null placement.

    SOQL sorts nulls first ascending and last descending. SQLite does that natively, so the clause is
    left out there (keeping plain index scans); PostgreSQL sorts nulls the other way, so it always
    gets an explicit NULLS FIRST/LAST unless the column cannot be null.
    """

    inherit_cache = True
    _traverse_internals = [
        ("expr", InternalTraversal.dp_clauseelement),
        ("descending", InternalTraversal.dp_boolean),
        ("put_nulls_first", InternalTraversal.dp_boolean),
        ("nullable", InternalTraversal.dp_boolean),
    ]

    def __init__(self, expr: ColumnElement[Any], descending: bool, nulls_first: bool, nullable: bool) -> None:
        self.expr = expr
        self.descending = descending
        self.put_nulls_first = nulls_first
        self.nullable = nullable


def _order_sql(element: OrderKey, compiler: SQLCompiler, native_default: bool, **kw: Any) -> str:
    text = compiler.process(element.expr, **kw) + (" DESC" if element.descending else " ASC")
    default_first = not element.descending
    if element.nullable and not (native_default and element.put_nulls_first == default_first):
        text += " NULLS FIRST" if element.put_nulls_first else " NULLS LAST"
    return text


@compiles(OrderKey, "sqlite")
def _order_sqlite(element: OrderKey, compiler: SQLCompiler, **kw: Any) -> str:
    return _order_sql(element, compiler, True, **kw)


@compiles(OrderKey)
def _order_default(element: OrderKey, compiler: SQLCompiler, **kw: Any) -> str:
    return _order_sql(element, compiler, False, **kw)


def fold(expr: ColumnElement[Any]) -> ColumnElement[Any]:
    """Case folding for SOQL's case-insensitive text comparisons (same function on both sides)."""
    return sa.func.lower(expr, type_=expr.type)


def ci_like(expr: ColumnElement[Any], pattern: Any) -> ColumnElement[bool]:
    """Case-insensitive LIKE with SOQL's backslash escapes (ILIKE on PostgreSQL, lower() LIKE on SQLite)."""
    return expr.ilike(pattern, escape="\\")


def has_token(expr: ColumnElement[Any], token: str) -> ColumnElement[bool]:
    """Multi-select picklists are stored `;`-joined: does the value list contain *token*?"""
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    wrapped = sa.literal(";", sa.Text()) + expr + sa.literal(";", sa.Text())
    return ci_like(wrapped, f"%;{escaped};%")
