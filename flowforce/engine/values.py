"""Flow data types and the conversions between JSON-ish input and the engine's Python values.

Value model (shared with flowforce.formula): Text/Picklist/Multipicklist → str, Number/Currency → Decimal
(never float), Boolean → bool, Date → date, DateTime → aware UTC datetime, Time → time, SObject → Record,
Apex-defined → dict, collections → list, null → None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flowforce.formula.values import to_decimal as number_to_decimal
from flowforce.records.record import Record


class CoercionError(ValueError):
    """The value cannot be read as the wanted type; the caller adds which variable it was for."""


def to_decimal(value: Any) -> Decimal:
    """A flow value as a Number: numbers as the formula language converts them, numeric text parsed."""
    if isinstance(value, bool):
        raise CoercionError(f"{value!r} is not a number")
    if isinstance(value, Decimal | int | float):
        return number_to_decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise CoercionError(f"{value!r} is not a number") from None
    raise CoercionError(f"{value!r} is not a number")


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise CoercionError(f"{value!r} is not true or false")


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise CoercionError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Salesforce's +0000 offsets
            text = f"{text[:-2]}:{text[-2:]}"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CoercionError(f"{value!r} is not a dateTime (expected ISO 8601)") from None
    else:
        raise CoercionError(f"{value!r} is not a dateTime (expected ISO 8601)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def to_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip().rstrip("Z"))
        except ValueError:
            pass
    raise CoercionError(f"{value!r} is not a time (expected HH:MM:SS.sssZ)")


def to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, Mapping, list)):
        raise CoercionError(f"{value!r} is not text")
    if isinstance(value, (int, float, Decimal)):
        return format(to_decimal(value), "f")
    raise CoercionError(f"{value!r} is not text")


def to_record(value: Any, object_type: str | None) -> Record:
    if isinstance(value, Record):
        return value
    if not isinstance(value, Mapping):
        raise CoercionError(f"{value!r} is not a record (expected a JSON object)")
    attributes = value.get("attributes")
    declared = attributes.get("type") if isinstance(attributes, Mapping) else None
    sobject_type = object_type or declared or "SObject"
    if declared and object_type and declared.lower() != object_type.lower():
        raise CoercionError(f"a {declared} record is not a {object_type} record")
    fields = {key: val for key, val in value.items() if key != "attributes"}
    return Record(sobject_type, fields)


SCALAR_COERCERS = {
    "Number": to_decimal,
    "Currency": to_decimal,
    "Percent": to_decimal,
    "Boolean": to_boolean,
    "Date": to_date,
    "DateTime": to_datetime,
    "Time": to_time,
    "String": to_text,
    "Picklist": to_text,
    "Multipicklist": to_text,
}


def coerce(value: Any, data_type: str, *, object_type: str | None = None, scale: int | None = None,
           is_collection: bool = False) -> Any:
    """Convert *value* to the flow type, or raise CoercionError. None stays None."""
    if value is None:
        return None
    if is_collection:
        if not isinstance(value, (list, tuple)):
            raise CoercionError(f"{value!r} is not a collection (expected a JSON array)")
        return [coerce(item, data_type, object_type=object_type, scale=scale) for item in value]
    if data_type == "SObject":
        return to_record(value, object_type)
    if data_type == "Apex":
        if not isinstance(value, Mapping):
            raise CoercionError(f"{value!r} is not an Apex-defined object (expected a JSON object)")
        return dict(value)
    coercer = SCALAR_COERCERS.get(data_type)
    converted = coercer(value) if coercer else value
    if scale is not None and isinstance(converted, Decimal):
        converted = round_to_scale(converted, scale)
    return converted


def round_to_scale(value: Decimal, scale: int) -> Decimal:
    """Salesforce rounds half away from zero (reference/flow-metadata.md §4.1). A value too large to hold at
    that scale is a coercion error, not an arithmetic crash (issue 9 item 5: `-1e30` for a Number input)."""
    try:
        return value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise CoercionError(f"{value} is outside the range of numbers a flow can hold") from None


def type_label(data_type: str, is_collection: bool = False, object_type: str | None = None) -> str:
    """How a type reads in error messages: 'Number', 'collection of Account records'."""
    base = f"{object_type} record" if data_type == "SObject" and object_type else data_type
    return f"collection of {base}s" if is_collection else base


def values_equal(left: Any, right: Any) -> bool:
    """Equality as Decision and collection operators use it: text case-insensitively, numbers by value."""
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    if isinstance(left, Record) and isinstance(right, Record):
        if left.id and right.id:
            return left.id == right.id
        return left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right or (isinstance(left, bool) and isinstance(right, bool) and left == right)
    if isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)):
        return Decimal(left) == Decimal(right)
    if isinstance(left, dt.datetime) != isinstance(right, dt.datetime) and isinstance(left, dt.date) \
            and isinstance(right, dt.date):
        return to_datetime(left) == to_datetime(right)
    return bool(left == right)
