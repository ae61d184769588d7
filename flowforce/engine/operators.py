"""Comparison operators of Decision, Wait and Collection Filter conditions (reference/flow-metadata.md §5.2).

Text equality is case-insensitive in these elements (H-COND). Null is a value of its own: `x EqualTo false`
is false when x is null, ordering against null is false, and `""` is not null (confirmations.md §6d).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flowforce.engine.values import to_datetime, values_equal

Comparator = Callable[[Any, Any], bool]


def _orderable(left: Any, right: Any) -> tuple[Any, Any] | None:
    if left is None or right is None:
        return None
    if isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)) \
            and not isinstance(left, bool) and not isinstance(right, bool):
        return Decimal(left), Decimal(right)
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        if isinstance(left, dt.datetime) != isinstance(right, dt.datetime):
            return to_datetime(left), to_datetime(right)
        return left, right
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold(), right.casefold()
    if type(left) is type(right):
        return left, right
    return None


def _ordered(test: Callable[[Any, Any], bool]) -> Comparator:
    def compare(left: Any, right: Any) -> bool:
        if type(left) is Decimal and type(right) is Decimal:  # the hot path of counter loops
            return bool(test(left, right))
        pair = _orderable(left, right)
        return pair is not None and bool(test(*pair))

    return compare


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(values_equal(a, b) for a, b in zip(left, right))
    return values_equal(left, right)


def _text_test(test: Callable[[str, str], bool]) -> Comparator:
    # UNCONFIRMED: StartsWith/EndsWith/Contains are case-sensitive in Flow (only equality is documented as
    # case-insensitive); collections: Contains means "has an item equal to".
    def compare(left: Any, right: Any) -> bool:
        if left is None or right is None:
            return False
        if isinstance(left, list):
            return any(_equal(item, right) for item in left)
        return test(str(left), str(right))

    return compare


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def _in(left: Any, right: Any) -> bool:
    if right is None:
        return False
    items = right if isinstance(right, list) else [right]
    return any(_equal(left, item) for item in items)


def _flag(predicate: Callable[[Any], bool]) -> Comparator:
    """Operators whose right side is a Boolean saying which answer counts as true."""

    def compare(left: Any, right: Any) -> bool:
        wanted = True if right is None else bool(right)
        return predicate(left) == wanted

    return compare


COMPARATORS: dict[str, Comparator] = {
    "EqualTo": _equal,
    "NotEqualTo": lambda left, right: not _equal(left, right),
    "GreaterThan": _ordered(lambda a, b: a > b),
    "LessThan": _ordered(lambda a, b: a < b),
    "GreaterThanOrEqualTo": _ordered(lambda a, b: a >= b),
    "LessThanOrEqualTo": _ordered(lambda a, b: a <= b),
    "StartsWith": _text_test(str.startswith),
    "EndsWith": _text_test(str.endswith),
    "Contains": _text_test(lambda a, b: b in a),
    "IsNull": _flag(lambda value: value is None),
    "IsBlank": _flag(is_blank),
    "IsEmpty": _flag(is_blank),
    "WasSet": _flag(lambda value: not is_blank(value)),
    "WasSelected": _flag(lambda value: bool(value)),
    "In": _in,
    "NotIn": lambda left, right: not _in(left, right),
}

#: Operators that look at the interview's history rather than at a value (handled by the condition compiler).
HISTORY_OPERATORS = frozenset({"IsChanged", "HasError", "WasVisited"})
