"""Turn JSON-ish input values (REST bodies, flow variables, seed files) into the Python type a field stores.

Stored Python types: text kinds → ``str``; double/currency/percent → ``Decimal`` rounded to the field's scale;
int → ``int``; boolean → ``bool``; date → ``date``; datetime → aware UTC ``datetime`` at millisecond
precision (Salesforce keeps milliseconds); time → ``time``; reference/id → the 18-char id ``str``;
multipicklist → ``"A;B"`` ``str``. Salesforce stores an empty string as null, and a null checkbox as false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flowforce.records.errors import FieldIntegrityException, InvalidType, MalformedIdError, NumberOutsideValidRange
from flowforce.records.ids import normalize_id
from flowforce.records.schema import FieldSchema, FieldType

INT_MAX = 2**31 - 1
MAX_DIGITS = 18  # a number field's precision when it declares none (Salesforce's largest)


def _bad(field: FieldSchema, value: Any) -> InvalidType:
    return InvalidType.for_value(field.label, field.name, value)


def _text(field: FieldSchema, value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Decimal):
        text = str(value)
        if "\x00" in text:
            raise FieldIntegrityException.nul_character(field.label, field.name)
        return text or None
    raise _bad(field, value)


def _multipicklist(field: FieldSchema, value: Any) -> str | None:
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise _bad(field, value)
    ordered: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str):
            raise _bad(field, value)
        if "\x00" in item:
            raise FieldIntegrityException.nul_character(field.label, field.name)
        if item.strip():
            ordered.setdefault(item.strip(), None)
    return ";".join(ordered) or None


def _decimal(field: FieldSchema, value: Any) -> Decimal | None:
    if isinstance(value, bool):
        raise _bad(field, value)
    if isinstance(value, str) and not value.strip():
        return None
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | int | float) else value
    except InvalidOperation:
        raise _bad(field, value) from None
    if not isinstance(number, Decimal) or not number.is_finite():
        raise _bad(field, value)
    integer_digits = (field.precision or MAX_DIGITS) - field.scale
    # Checked before rounding: quantizing 1e300 to a scale overflows the decimal context (issue 9 item 5).
    if number and number.adjusted() >= integer_digits:
        raise NumberOutsideValidRange.for_value(field.label, field.name, value)
    number = number.quantize(Decimal(1).scaleb(-field.scale), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** integer_digits:
        raise NumberOutsideValidRange.for_value(field.label, field.name, value)
    return number


def _int(field: FieldSchema, value: Any) -> int | None:
    if isinstance(value, bool):
        raise _bad(field, value)
    if isinstance(value, str) and not value.strip():
        return None
    number: Decimal | None = None
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str | float | Decimal):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise _bad(field, value)
    # An Integer is 32 bits in Salesforce (and its digits, when the field says); bigger ones overflowed the store.
    limit = min(INT_MAX, 10 ** field.digits - 1) if field.digits else INT_MAX
    if abs(number) > limit:
        raise NumberOutsideValidRange.for_value(field.label, field.name, value)
    return int(number)


def _boolean(field: FieldSchema, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _bad(field, value)


def _date(field: FieldSchema, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise _bad(field, value) from None
    raise _bad(field, value)


def parse_datetime(value: Any) -> dt.datetime | None:
    """A datetime from a Python value or ISO text (``2011-07-07T00:37:00.000+0000``); naive means UTC."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    parsed = parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def format_datetime(value: dt.datetime) -> str:
    """Salesforce's wire format for datetimes: ``2011-07-07T00:37:00.000+0000`` (reference/api-surface.md §0)."""
    utc = value.astimezone(dt.UTC) if value.tzinfo else value  # naive values are UTC already
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def _datetime(field: FieldSchema, value: Any) -> dt.datetime | None:
    if isinstance(value, str) and not value.strip():
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise _bad(field, value)
    return parsed


def _time(field: FieldSchema, value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None, microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:  # Salesforce writes times as ``10:30:00.000Z``
            parsed = dt.time.fromisoformat(value.strip().rstrip("Z"))
        except ValueError:
            raise _bad(field, value) from None
        return parsed.replace(tzinfo=None, microsecond=parsed.microsecond // 1000 * 1000)
    raise _bad(field, value)


def _reference(field: FieldSchema, value: Any) -> str | None:
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return normalize_id(value)
    except MalformedIdError:
        raise MalformedIdError.for_field(field.label, field.name, value) from None


_COERCERS: dict[FieldType, Callable[[FieldSchema, Any], Any]] = {
    FieldType.MULTIPICKLIST: _multipicklist,
    FieldType.DOUBLE: _decimal,
    FieldType.CURRENCY: _decimal,
    FieldType.PERCENT: _decimal,
    FieldType.INT: _int,
    FieldType.BOOLEAN: _boolean,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
    FieldType.TIME: _time,
    FieldType.REFERENCE: _reference,
    FieldType.ID: _reference,
}


def coerce_value(field: FieldSchema, value: Any) -> Any:
    """The stored form of *value* for *field*; raises a :class:`RecordError` naming the field when impossible."""
    if value is None:
        return False if field.type is FieldType.BOOLEAN else None
    if field.type is FieldType.ANYTYPE:
        return value
    return _COERCERS.get(field.type, _text)(field, value)
