"""SOQL functions: aggregates and date functions, with what they accept and what they return.

Function names are case-insensitive. Date functions work in WHERE, GROUP BY, HAVING and the select
list of aggregate queries; the fiscal year is the calendar year (no fiscal-year settings here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from flowforce.records.column_types import ExactDecimal
from flowforce.records.schema import FieldType
from flowforce.soql.dialect import DateOnly, DatePart

AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})
# Wrappers that do not change a value here: no translations, one currency, UTC everywhere.
TRANSPARENT = frozenset({"TOLABEL", "FORMAT", "CONVERTCURRENCY", "CONVERTTIMEZONE"})

_NUMERIC = frozenset({FieldType.INT, FieldType.DOUBLE, FieldType.CURRENCY, FieldType.PERCENT})
_ORDERED = _NUMERIC | {FieldType.DATE, FieldType.DATETIME, FieldType.TIME, FieldType.STRING,
                       FieldType.PICKLIST, FieldType.ID, FieldType.REFERENCE, FieldType.EMAIL,
                       FieldType.PHONE, FieldType.URL, FieldType.COMBOBOX}  # fmt: skip
_DATES = frozenset({FieldType.DATE, FieldType.DATETIME})


@dataclass(frozen=True)
class DateFunction:
    """`build` turns the argument's SQL into the function's SQL; `result` is the value's field type."""

    build: Callable[[ColumnElement[Any]], ColumnElement[Any]]
    result: FieldType = FieldType.INT
    datetime_only: bool = False


def _part(part: str) -> Callable[[ColumnElement[Any]], ColumnElement[Any]]:
    return lambda expr: DatePart(part, expr)


def _quarter(expr: ColumnElement[Any]) -> ColumnElement[Any]:
    return (DatePart("month", expr) + 2) // 3


def _week_of(part: str) -> Callable[[ColumnElement[Any]], ColumnElement[Any]]:
    # SOQL weeks count from the 1st of the month / year in blocks of seven days.
    return lambda expr: (DatePart(part, expr) + 6) // 7


DATE_FUNCTIONS: dict[str, DateFunction] = {
    "CALENDAR_YEAR": DateFunction(_part("year")),
    "CALENDAR_QUARTER": DateFunction(_quarter),
    "CALENDAR_MONTH": DateFunction(_part("month")),
    "FISCAL_YEAR": DateFunction(_part("year")),
    "FISCAL_QUARTER": DateFunction(_quarter),
    "FISCAL_MONTH": DateFunction(_part("month")),
    "DAY_IN_MONTH": DateFunction(_part("day")),
    "DAY_IN_WEEK": DateFunction(lambda expr: DatePart("dow", expr) + 1),  # 1 = Sunday
    "DAY_IN_YEAR": DateFunction(_part("doy")),
    "WEEK_IN_MONTH": DateFunction(_week_of("day")),
    "WEEK_IN_YEAR": DateFunction(_week_of("doy")),
    "HOUR_IN_DAY": DateFunction(_part("hour"), datetime_only=True),
    "DAY_ONLY": DateFunction(lambda expr: DateOnly(expr), FieldType.DATE, datetime_only=True),
}


def aggregate_accepts(name: str, field_type: FieldType) -> bool:
    """Which field types each aggregate takes (SUM/AVG numbers only, MIN/MAX anything ordered)."""
    if name in ("SUM", "AVG"):
        return field_type in _NUMERIC
    if name in ("MIN", "MAX"):
        return field_type in _ORDERED
    return True


def date_function_accepts(name: str, field_type: FieldType) -> bool:
    function = DATE_FUNCTIONS[name]
    return field_type is FieldType.DATETIME if function.datetime_only else field_type in _DATES


def aggregate_result_type(name: str, field_type: FieldType | None) -> FieldType:
    if name in ("COUNT", "COUNT_DISTINCT") or field_type is None:
        return FieldType.INT
    if name == "AVG":
        return FieldType.DOUBLE
    return field_type


def aggregate_sql(name: str, arg: ColumnElement[Any] | None) -> ColumnElement[Any]:
    if arg is None:
        return sa.func.count()
    if name == "COUNT":
        return sa.func.count(arg)
    if name == "COUNT_DISTINCT":
        return sa.func.count(sa.distinct(arg))
    if name == "AVG":
        if isinstance(arg.type, ExactDecimal):
            return sa.type_coerce(sa.func.avg(arg), arg.type)
        return sa.func.avg(arg, type_=sa.Numeric(asdecimal=True))
    return getattr(sa.func, name.lower())(arg, type_=arg.type)
