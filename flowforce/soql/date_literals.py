"""SOQL relative date literals (TODAY, LAST_N_DAYS:n, THIS_FISCAL_QUARTER, …) as half-open date ranges.

Ranges are computed when a query runs, not when it compiles, because compiled queries are cached
across days. Weeks start on Sunday, the fiscal year is the calendar year, and "today" is UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from flowforce.dates import add_months

Unit = Literal["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"]

_RELATIVE = re.compile(r"(LAST|THIS|NEXT)_(?:FISCAL_(?=QUARTER|YEAR))?(WEEK|MONTH|QUARTER|YEAR)")
_LAST_NEXT_N = re.compile(r"(LAST|NEXT)_N_(?:FISCAL_(?=QUARTERS|YEARS))?(DAY|WEEK|MONTH|QUARTER|YEAR)S")
_N_AGO = re.compile(r"N_(?:FISCAL_(?=QUARTERS|YEARS))?(DAY|WEEK|MONTH|QUARTER|YEAR)S_AGO")
_DAYS = {"YESTERDAY": -1, "TODAY": 0, "TOMORROW": 1}
_NINETY = {"LAST_90_DAYS": "LAST", "NEXT_90_DAYS": "NEXT"}
_MONTHS_PER_UNIT = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}


def takes_n(name: str) -> bool | None:
    """True/False whether the literal needs `:n`; None when it is not a date literal at all."""
    name = name.upper()
    if name in _DAYS or name in _NINETY or _RELATIVE.fullmatch(name):
        return False
    if _LAST_NEXT_N.fullmatch(name) or _N_AGO.fullmatch(name):
        return True
    return None


def check_date_literal(name: str, n: int | None) -> str | None:
    """None when valid, else which part is wrong: "name" or "n" (for the error position)."""
    needs_n = takes_n(name)
    if needs_n is None:
        return "name"
    if needs_n != (n is not None) or (n is not None and n < 0):
        return "n"
    return None


def date_range(name: str, n: int | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) covered by the literal on *today*."""
    name = name.upper()
    if name in _DAYS:
        return _span(today, "DAY", _DAYS[name], 1)
    if name in _NINETY:
        name, n = f"{_NINETY[name]}_N_DAYS", 90
    if match := _RELATIVE.fullmatch(name):
        return _span(today, match.group(2), {"LAST": -1, "THIS": 0, "NEXT": 1}[match.group(1)], 1)
    count = int(n or 0)
    if match := _LAST_NEXT_N.fullmatch(name):
        unit = match.group(2)
        if match.group(1) == "NEXT":
            return _span(today, unit, 1, count)
        if unit == "DAY":  # LAST_N_DAYS includes today (LAST_N_DAYS:1 is yesterday and today)
            return today - dt.timedelta(days=count), today + dt.timedelta(days=1)
        return _span(today, unit, -count, count)
    if match := _N_AGO.fullmatch(name):
        return _span(today, match.group(1), -count, 1)
    raise ValueError(f"not a date literal: {name}")


def _span(today: dt.date, unit: str, first: int, count: int) -> tuple[dt.date, dt.date]:
    """`count` whole units starting `first` units from the one containing today."""
    start = unit_start(today, unit)
    return add_units(start, unit, first), add_units(start, unit, first + count)


def unit_start(day: dt.date, unit: str) -> dt.date:
    if unit == "DAY":
        return day
    if unit == "WEEK":
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)
    if unit == "MONTH":
        return day.replace(day=1)
    if unit == "QUARTER":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def add_units(start: dt.date, unit: str, count: int) -> dt.date:
    """Move a unit-aligned date by whole units."""
    if unit == "DAY":
        return start + dt.timedelta(days=count)
    if unit == "WEEK":
        return start + dt.timedelta(days=7 * count)
    return add_months(start, count * _MONTHS_PER_UNIT[unit])  # the 1st stays the 1st
