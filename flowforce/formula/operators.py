"""Operator semantics: type dispatch for + - * / ^ & and the comparisons.

Null rules (reference/flow-metadata.md §6, confirmations.md §6e): arithmetic with null is null (flows do not
treat blank as zero), text concatenation treats null as "", `null = null` is true, ordering with null is null.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from flowforce.formula.errors import FormulaRuntimeError
from flowforce.formula.values import (
    DECIMAL,
    MS_PER_DAY,
    as_utc,
    date_to_datetime,
    is_date,
    is_number,
    to_decimal,
    type_name,
)


def operand_error(op: str, *values: Any) -> FormulaRuntimeError:
    kinds = " and ".join(type_name(v) for v in values)
    return FormulaRuntimeError(f"Incorrect parameter type for operator '{op}': {kinds}")


def truth(value: Any, where: str) -> bool:
    """Boolean operand; null counts as false (AND, OR, IF conditions)."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise FormulaRuntimeError(
        f"Incorrect parameter type for {where}. Expected Boolean, received {type_name(value)}"
    )


def _millis(days: Any) -> dt.timedelta:
    ms = DECIMAL.multiply(to_decimal(days), Decimal(MS_PER_DAY)).to_integral_value(ROUND_HALF_UP)
    return dt.timedelta(milliseconds=int(ms))


def _whole_days(days: Any) -> dt.timedelta:
    # Date + 1.9 adds one day: fractions are dropped (UNCONFIRMED; Salesforce docs only show integers).
    return dt.timedelta(days=int(to_decimal(days).to_integral_value(ROUND_DOWN)))


def _shift_time(value: dt.time, millis: Any) -> dt.time:
    """Time ± n adds milliseconds and wraps around midnight."""
    start = (value.hour * 3600 + value.minute * 60 + value.second) * 1000 + value.microsecond // 1000
    total = (start + int(to_decimal(millis).to_integral_value(ROUND_HALF_UP))) % MS_PER_DAY
    seconds, ms = divmod(total, 1000)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, ms * 1000)


def _time_millis(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1000 + value.microsecond // 1000


def _shift(value: Any, amount: Any, sign: int) -> Any:
    """Date/DateTime/Time plus or minus a Number, or None when `value` is not temporal."""
    try:
        if isinstance(value, dt.datetime):
            return value + sign * _millis(amount)
        if isinstance(value, dt.date):
            return value + sign * _whole_days(amount)
    except OverflowError:
        raise FormulaRuntimeError("Date arithmetic result is out of range") from None
    if isinstance(value, dt.time):
        return _shift_time(value, sign * to_decimal(amount))
    return None


def add(left: Any, right: Any) -> Any:
    if left is None or right is None:
        other = right if left is None else left
        return other if isinstance(other, str) else None
    if is_number(left) and is_number(right):
        return DECIMAL.add(to_decimal(left), to_decimal(right))
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if is_number(right) and (shifted := _shift(left, right, 1)) is not None:
        return shifted
    if is_number(left) and (shifted := _shift(right, left, 1)) is not None:
        return shifted
    raise operand_error("+", left, right)


def subtract(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if is_number(left) and is_number(right):
        return DECIMAL.subtract(to_decimal(left), to_decimal(right))
    if is_number(right) and (shifted := _shift(left, right, -1)) is not None:
        return shifted
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        delta = as_utc(left) - as_utc(right)
        return DECIMAL.divide(Decimal(delta // dt.timedelta(milliseconds=1)), Decimal(MS_PER_DAY))
    if is_date(left) and is_date(right):
        return Decimal((left - right).days)
    if isinstance(left, dt.time) and isinstance(right, dt.time):
        return Decimal(_time_millis(left) - _time_millis(right))  # Time - Time is in milliseconds
    raise operand_error("-", left, right)


def _numbers(op: str, left: Any, right: Any) -> tuple[Decimal, Decimal]:
    if is_number(left) and is_number(right):
        return to_decimal(left), to_decimal(right)
    raise operand_error(op, left, right)


def multiply(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    return DECIMAL.multiply(*_numbers("*", left, right))


def divide(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    dividend, divisor = _numbers("/", left, right)
    if divisor.is_zero():
        raise FormulaRuntimeError("Division by zero")
    return DECIMAL.divide(dividend, divisor)


def power(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    base, exponent = _numbers("^", left, right)
    if base.is_zero() and exponent < 0:
        raise FormulaRuntimeError("Division by zero")
    if base < 0 and exponent != exponent.to_integral_value():
        raise FormulaRuntimeError(f"Cannot raise a negative number to a fractional power ({base}^{exponent})")
    return DECIMAL.power(base, exponent)


def concat(left: Any, right: Any) -> str:
    left = "" if left is None else left
    right = "" if right is None else right
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    raise operand_error("&", left, right)


_ORDERED = frozenset({"Number", "Text", "Date", "Time"})


def _comparable(op: str, left: Any, right: Any) -> tuple[Any, Any]:
    """Bring both operands to one comparable Python type, or raise a type error."""
    if is_number(left) and is_number(right):
        return to_decimal(left), to_decimal(right)
    if isinstance(left, dt.datetime) or isinstance(right, dt.datetime):
        # A Date against a DateTime compares as midnight UTC (UNCONFIRMED, flow-metadata.md §10).
        if isinstance(left, dt.date) and isinstance(right, dt.date):
            return _as_datetime(left), _as_datetime(right)
    elif (kind := type_name(left)) == type_name(right) and (op in ("=", "<>") or kind in _ORDERED):
        return left, right
    raise operand_error(op, left, right)


def _as_datetime(value: dt.date) -> dt.datetime:
    return as_utc(value) if isinstance(value, dt.datetime) else date_to_datetime(value)


def equals(left: Any, right: Any) -> bool:
    # Salesforce formulas read a blank text value as "" (there is no null text), so `{!t} = ""` is the
    # usual blank test and holds for an unset text variable too.
    if left is None and isinstance(right, str):
        return right == ""
    if right is None and isinstance(left, str):
        return left == ""
    if left is None or right is None:
        return left is None and right is None
    a, b = _comparable("=", left, right)
    return bool(a == b)


def not_equals(left: Any, right: Any) -> bool:
    return not equals(left, right)


def _ordering(op: str, compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool | None]:
    def ordered(left: Any, right: Any) -> bool | None:
        if left is None or right is None:
            return None
        return compare(*_comparable(op, left, right))

    return ordered


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "^": power,
    "&": concat,
    "=": equals,
    "<>": not_equals,
    "<": _ordering("<", operator.lt),
    "<=": _ordering("<=", operator.le),
    ">": _ordering(">", operator.gt),
    ">=": _ordering(">=", operator.ge),
}


def negate(value: Any) -> Any:
    if value is None:
        return None
    if is_number(value):
        return DECIMAL.minus(to_decimal(value))
    raise operand_error("-", value)


def plus(value: Any) -> Any:
    if value is None or is_number(value):
        return None if value is None else to_decimal(value)
    raise operand_error("+", value)


def logical_not(value: Any) -> bool:
    return not truth(value, "operator '!'")


UNARY: dict[str, Callable[[Any], Any]] = {"-": negate, "+": plus, "!": logical_not}
