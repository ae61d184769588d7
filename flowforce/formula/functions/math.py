"""Math functions: exact Decimal arithmetic where Decimal has the operation, float for trigonometry."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING as _ROUND_CEILING
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from flowforce.formula.errors import FormulaRuntimeError
from flowforce.formula.functions.registry import function
from flowforce.formula.values import (
    DECIMAL,
    ONE,
    UTC,
    Location,
    as_utc,
    date_to_datetime,
    expect,
    is_number,
    normalize,
    to_decimal,
    type_name,
)

PI = Decimal("3.141592653589793238462643383279503")
# Mean Earth radius; Salesforce does not document the constant it uses (UNCONFIRMED).
EARTH_RADIUS = {"mi": 3958.7613, "km": 6371.0088}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def _number(value: Any, name: str) -> Decimal:
    return expect(value, "Number", f"{name}()")  # type: ignore[no-any-return]


def _digits(value: Any, name: str) -> int:
    return int(_number(value, name).to_integral_value(ROUND_DOWN))


def _to_integer(value: Decimal, rounding: str) -> Decimal:
    return normalize(value.quantize(ONE, rounding=rounding, context=DECIMAL))


def round_to(value: Decimal, digits: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to `digits` decimals (negative digits round left of the point: ROUND(1225,-2) = 1200)."""
    return normalize(value.quantize(ONE.scaleb(-digits), rounding=rounding, context=DECIMAL))


@function("ABS", 1)
def abs_(value: Any) -> Decimal:
    return abs(_number(value, "ABS"))


@function("ROUND", 2)
def round_(value: Any, digits: Any) -> Decimal:
    # Half away from zero: ROUND(-2.5, 0) = -3 (Salesforce "round half-up" on the absolute value).
    return round_to(_number(value, "ROUND"), _digits(digits, "ROUND"))


@function("TRUNC", 1, 2)
def trunc(value: Any, digits: Any = 0) -> Decimal:
    return round_to(_number(value, "TRUNC"), _digits(digits, "TRUNC"), ROUND_DOWN)


# KB 000386432: CEILING and FLOOR work on the absolute value — CEILING(-2.5) = -3, FLOOR(-2.5) = -2.
# MCEILING / MFLOOR are the mathematical versions: MCEILING(-2.5) = -2, MFLOOR(-2.5) = -3.
_INTEGER_ROUNDING = {
    "CEILING": ROUND_UP,
    "FLOOR": ROUND_DOWN,
    "MCEILING": _ROUND_CEILING,
    "MFLOOR": ROUND_FLOOR,
}


def _integer_rounder(name: str, rounding: str) -> Callable[[Any], Decimal]:
    def rounder(value: Any) -> Decimal:
        return _to_integer(_number(value, name), rounding)

    return rounder


for _name, _rounding in _INTEGER_ROUNDING.items():
    function(_name, 1)(_integer_rounder(_name, _rounding))


def _float_function(name: str, compute: Callable[..., float]) -> Callable[..., Decimal]:
    def evaluate(*args: Any) -> Decimal:
        try:
            result = compute(*(float(_number(arg, name)) for arg in args))
        except (ValueError, OverflowError):
            raise FormulaRuntimeError(f"{name}() argument is out of range") from None
        return to_decimal(result)

    return evaluate


for _name, _compute in {
    "SIN": math.sin,
    "COS": math.cos,
    "TAN": math.tan,
    "ASIN": math.asin,
    "ACOS": math.acos,
    "ATAN": math.atan,
}.items():
    function(_name, 1)(_float_function(_name, _compute))


def _atan2(x: float, y: float) -> float:
    # Salesforce documents ATAN2(x, y) as "the arc tangent of the quotient of y and x" (UNCONFIRMED order).
    return math.atan2(y, x)


function("ATAN2", 2)(_float_function("ATAN2", _atan2))


def _positive(value: Any, name: str, allow_zero: bool = False) -> Decimal:
    number = _number(value, name)
    if number < 0 or (number.is_zero() and not allow_zero):
        raise FormulaRuntimeError(f"{name}() requires a positive number, received {number}")
    return number


@function("SQRT", 1)
def sqrt(value: Any) -> Decimal:
    return DECIMAL.sqrt(_positive(value, "SQRT", allow_zero=True))


@function("EXP", 1)
def exp(value: Any) -> Decimal:
    return DECIMAL.exp(_number(value, "EXP"))


@function("LN", 1)
def ln(value: Any) -> Decimal:
    return DECIMAL.ln(_positive(value, "LN"))


@function("LOG", 1)
def log(value: Any) -> Decimal:
    return DECIMAL.log10(_positive(value, "LOG"))


@function("MOD", 2)
def mod(value: Any, divisor: Any) -> Decimal:
    dividend, by = _number(value, "MOD"), _number(divisor, "MOD")
    if by.is_zero():
        raise FormulaRuntimeError("Division by zero in MOD()")
    return DECIMAL.remainder(dividend, by)  # the sign follows the dividend, like Java's %


@function("MAX", 1, None)
def max_(*values: Any) -> Decimal:
    return max(_number(value, "MAX") for value in values)


@function("MIN", 1, None)
def min_(*values: Any) -> Decimal:
    return min(_number(value, "MIN") for value in values)


@function("PI", 0)
def pi() -> Decimal:
    return PI


@function("GEOLOCATION", 2)
def geolocation(latitude: Any, longitude: Any) -> Location:
    return Location(_number(latitude, "GEOLOCATION"), _number(longitude, "GEOLOCATION"))


def _location(value: Any) -> Location:
    if isinstance(value, Location):
        return value
    if isinstance(value, Mapping):  # a compound geolocation field
        folded = {str(key).lower(): item for key, item in value.items()}
        latitude, longitude = folded.get("latitude"), folded.get("longitude")
        if latitude is not None and longitude is not None and is_number(latitude) and is_number(longitude):
            return Location(to_decimal(latitude), to_decimal(longitude))
    raise FormulaRuntimeError(
        f"Incorrect parameter type for DISTANCE(). Expected Location, received {type_name(value)}"
    )


@function("DISTANCE", 3)
def distance(first: Any, second: Any, unit: Any) -> Decimal:
    radius = EARTH_RADIUS.get(str(unit).lower()) if isinstance(unit, str) else None
    if radius is None:
        raise FormulaRuntimeError(f"DISTANCE() unit must be 'mi' or 'km', received {unit!r}")
    a, b = _location(first), _location(second)
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return to_decimal(2 * radius * math.asin(math.sqrt(h)))


@function("FROMUNIXTIME", 1)
def fromunixtime(seconds: Any) -> dt.datetime:
    millis = DECIMAL.multiply(_number(seconds, "FROMUNIXTIME"), Decimal(1000)).to_integral_value(
        ROUND_HALF_UP
    )
    try:
        return _EPOCH + dt.timedelta(milliseconds=int(millis))
    except OverflowError:
        raise FormulaRuntimeError("FROMUNIXTIME() result is out of range") from None


@function("UNIXTIMESTAMP", 1)
def unixtimestamp(value: Any) -> Decimal:
    """Seconds since the epoch for a Date/DateTime; seconds since midnight for a Time."""
    if isinstance(value, dt.time):
        return Decimal(value.hour * 3600 + value.minute * 60 + value.second)
    moment = (
        as_utc(value)
        if isinstance(value, dt.datetime)
        else date_to_datetime(expect(value, "Date", "UNIXTIMESTAMP()"))
    )
    return Decimal((moment - _EPOCH) // dt.timedelta(seconds=1))


@function("PICKLISTCOUNT", 1, nulls=False)
def picklistcount(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    text = expect(value, "Text", "PICKLISTCOUNT()")
    return Decimal(sum(1 for item in text.split(";") if item.strip()))


@function("CURRENCYRATE", 1)
def currencyrate(_iso_code: Any) -> Decimal:
    return ONE  # single-currency emulation: every rate is 1
