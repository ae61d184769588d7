"""Assignment operators (reference/flow-metadata.md §5.1) as pure functions of (current, value).

Collections are never mutated in place: each operator returns a new list, so two variables that were
assigned from each other don't change together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flowforce.engine.faults import ElementFault
from flowforce.engine.values import CoercionError, to_decimal, values_equal
from flowforce.formula import format_merge_value
from flowforce.metadata.model import Variable

Operator = Callable[[Any, Any, "TargetType", int], Any]


class TargetType:
    """What the assignment target is, from its declaration when known, else from the current value."""

    __slots__ = ("data_type", "is_collection")

    def __init__(self, variable: Variable | None, field: bool) -> None:
        self.data_type = None if (variable is None or field) else variable.data_type
        self.is_collection = bool(variable and not field and variable.is_collection)


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _index_of(items: list[Any], value: Any) -> int | None:
    return next((index for index, item in enumerate(items) if values_equal(item, value)), None)


def _number(value: Any) -> Decimal:
    try:
        return to_decimal(value)
    except CoercionError as error:
        raise ElementFault(f"The assignment needs a number: {error}") from None


def _shift(current: Any, amount: Any, sign: int) -> Any:
    """Add or subtract: numbers, dates (days), dateTimes (fractional days), text (Add concatenates)."""
    if isinstance(current, dt.datetime):
        return current + sign * dt.timedelta(days=float(_number(amount)))
    if isinstance(current, dt.date):
        return current + sign * dt.timedelta(days=int(_number(amount)))
    if isinstance(current, str):
        if sign < 0:
            raise ElementFault("Text values can't be subtracted")
        return current + ("" if amount is None else format_merge_value(amount))
    if amount is None:
        return current
    # UNCONFIRMED (confirmations.md §6b): a null number counts as 0, as the counter pattern needs.
    return (Decimal(0) if current is None else _number(current)) + sign * _number(amount)


def assign(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    if target.is_collection:
        return None if value is None else _items(value)
    return value


def add(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    if type(current) is Decimal and type(value) is Decimal:  # the hot path of counter loops
        return current + value
    if target.is_collection or isinstance(current, list):
        return _items(current) + _items(value)
    if current is None and target.data_type in ("String", "Picklist", "Multipicklist"):
        current = ""
    if current is None and isinstance(value, str):
        return value
    return _shift(current, value, +1)


def subtract(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    return _shift(current, value, -1)


def add_item(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    """Multi-select picklists: a new selected item, joined with ';'."""
    if value is None or value == "":
        return current
    return f"{current};{value}" if current else str(value)


def add_at_start(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    return _items(value) + _items(current)


def remove_first(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    items = _items(current)
    index = _index_of(items, value)
    if index is not None:
        del items[index]
    return items


def remove_all(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    unwanted = _items(value)
    return [item for item in _items(current) if not any(values_equal(item, u) for u in unwanted)]


def remove_after_first(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    items = _items(current)
    index = _index_of(items, value)
    return items if index is None else items[: index + 1]


def remove_before_first(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    items = _items(current)
    index = _index_of(items, value)
    return items if index is None else items[index:]


def remove_position(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    items = _items(current)
    position = int(_number(value)) - base
    if 0 <= position < len(items):
        del items[position]
    return items


def remove_uncommon(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    keep = _items(value)
    return [item for item in _items(current) if any(values_equal(item, k) for k in keep)]


def assign_count(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    return Decimal(len(value)) if isinstance(value, list) else Decimal(0 if value is None else 1)


def keeps_null(operator: Operator) -> Operator:
    """Removing from a collection that was never set leaves it unset (UNCONFIRMED; the least surprising)."""

    def apply(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
        return None if current is None else operator(current, value, target, base)

    return apply


OPERATORS: dict[str, Operator] = {
    "Assign": assign,
    "Add": add,
    "Subtract": subtract,
    "AddItem": add_item,
    "AddAtStart": add_at_start,
    "RemoveFirst": keeps_null(remove_first),
    "RemoveAll": keeps_null(remove_all),
    "RemoveAfterFirst": keeps_null(remove_after_first),
    "RemoveBeforeFirst": keeps_null(remove_before_first),
    "RemovePosition": keeps_null(remove_position),
    "RemoveUncommon": keeps_null(remove_uncommon),
    "AssignCount": assign_count,
}
