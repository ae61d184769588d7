"""The Python value model shared with the engine, and the coercions formulas need.

Text/Picklist → str, Number/Currency/Percent → Decimal (never float), Boolean → bool, Date → date,
DateTime → tz-aware UTC datetime, Time → time, null → None, collections → list, records → Mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, NamedTuple

from flowforce.formula.errors import FormulaRuntimeError

# 34 significant digits (IEEE decimal128), rounding half up like Salesforce number fields.
DECIMAL = Context(prec=34, rounding=ROUND_HALF_UP)
ZERO = Decimal(0)
ONE = Decimal(1)
MS_PER_DAY = 86_400_000
UTC = dt.UTC
# What VALUE() and ISNUMBER() accept: optional sign, digits with an optional point, optional exponent.
NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class Location(NamedTuple):
    """A GEOLOCATION value (compound geolocation fields arrive as mappings with latitude/longitude)."""

    latitude: Decimal
    longitude: Decimal


def type_name(value: Any) -> str:
    """Salesforce's name for a value's type, for error messages."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, Decimal | int | float):
        return "Number"
    if isinstance(value, str):
        return "Text"
    if isinstance(value, dt.datetime):
        return "DateTime"
    if isinstance(value, dt.date):
        return "Date"
    if isinstance(value, dt.time):
        return "Time"
    if isinstance(value, Location):
        return "Location"
    if isinstance(value, list | tuple):
        return "Collection"
    if isinstance(value, Mapping):
        return "Record"
    return type(value).__name__


def is_number(value: Any) -> bool:
    return isinstance(value, Decimal | int | float) and not isinstance(value, bool)


def is_date(value: Any) -> bool:
    """True for a Date (a `datetime` is also a `date` in Python, hence the second test)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def to_decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest repr, not the binary expansion
    return Decimal(value)


def normalize(value: Decimal) -> Decimal:
    """Keep integral results in plain form (ROUND(1225,-2) is 1200, not 1.2E+3)."""
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        return Decimal(format(value, "f"))  # exact, whatever the context precision
    return value


def as_utc(value: dt.datetime) -> dt.datetime:
    """Naive datetimes are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def date_to_datetime(value: dt.date) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)


def expect(value: Any, expected: str, where: str) -> Any:
    """Check a non-null operand's type; `expected` is a Salesforce type name (Number, Text, …)."""
    actual = type_name(value)
    if actual == expected or (expected == "Date" and actual == "DateTime"):
        return to_decimal(value) if expected == "Number" else value
    raise FormulaRuntimeError(f"Incorrect parameter type for {where}. Expected {expected}, received {actual}")


def format_decimal(value: Decimal) -> str:
    """Plain notation, never an exponent, keeping the value's own scale (TEXT(1.50) is "1.50")."""
    text = format(value, "f")
    if text.startswith("-") and value.is_zero():
        return text[1:]  # no "-0"
    return text


def format_millis_time(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}"


def format_iso_datetime(value: dt.datetime) -> str:
    value = as_utc(value)
    return f"{value.date().isoformat()}T{format_millis_time(value.time())}Z"


def format_merge_value(value: Any) -> str:
    """How a value reads when merged into text (`{!ref}` in a text template).

    reference/flow-metadata.md §4.5 leaves the format to the user's locale (UNCONFIRMED); this emulation uses
    locale-free forms: integral numbers without ".0", dates `YYYY-MM-DD`, datetimes ISO 8601 UTC with
    milliseconds, times `HH:MM:SS.mmmZ`, booleans `true`/`false`, a record as its Id, and a collection as
    its items joined with ", " (a choice: Salesforce documents no collection merge format).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        number = to_decimal(value)
        return format_decimal(number.to_integral_value() if number == number.to_integral_value() else number)
    if isinstance(value, dt.datetime):
        return format_iso_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_millis_time(value) + "Z"
    if isinstance(value, Location):
        return f"{format_decimal(value.latitude)}, {format_decimal(value.longitude)}"
    if isinstance(value, Mapping):
        return next((format_merge_value(v) for k, v in value.items() if str(k).lower() == "id"), "")
    if isinstance(value, list | tuple):
        return ", ".join(format_merge_value(item) for item in value)
    return str(value)


_NUMERIC_TYPES = frozenset({"number", "currency", "percent"})


def coerce_result(value: Any, result_type: str | None, scale: int | None) -> Any:
    """Bring a formula's value to its declared flow `dataType`; Number/Currency/Percent round to `scale`."""
    kind = (result_type or "").lower()
    if value is None or not kind:
        return value
    if kind in _NUMERIC_TYPES and is_number(value):
        number = to_decimal(value)
        if scale is None:
            return number
        return normalize(number.quantize(ONE.scaleb(-scale), rounding=ROUND_HALF_UP, context=DECIMAL))
    if kind in ("string", "text", "picklist", "multipicklist"):
        # Salesforce would reject a non-text String formula on save; merging it is the lenient reading.
        return format_merge_value(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, dt.date):
        return as_utc(value).date() if isinstance(value, dt.datetime) else value
    if kind == "datetime" and isinstance(value, dt.date):
        return as_utc(value) if isinstance(value, dt.datetime) else date_to_datetime(value)
    if kind == "time" and isinstance(value, dt.time | dt.datetime):
        return as_utc(value).time() if isinstance(value, dt.datetime) else value
    if kind not in _NUMERIC_TYPES | {"boolean", "date", "datetime", "time"}:
        return value  # a data type formulas do not declare: leave the value alone
    raise FormulaRuntimeError(
        f"The formula returned a {type_name(value)} value but its data type is {result_type}"
    )
