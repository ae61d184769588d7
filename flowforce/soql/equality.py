"""When SOQL's `=` holds between a field and a value — the one rule the translator emits as SQL and bulk Get
Records uses to hand each interview the rows of its `field IN (…)` query.

`equality_key` answers only where Python can tell exactly what the database will say; everything else (dates,
multi-select picklists, non-ASCII text compared without case) gets None, and callers ask the database.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from flowforce.records.ids import is_id, to_18
from flowforce.records.schema import FieldSchema, FieldType

ID_TYPES = frozenset({FieldType.ID, FieldType.REFERENCE})
NUMBER_TYPES = frozenset({FieldType.DOUBLE, FieldType.INT, FieldType.CURRENCY, FieldType.PERCENT})


def folds_case(schema: FieldSchema) -> bool:
    """SOQL compares and sorts text case-insensitively (ids are compared in their 18-char form)."""
    return schema.type.is_text and schema.type not in ID_TYPES and not schema.case_sensitive


def equality_key(schema: FieldSchema, value: Any) -> Hashable | None:
    """A key shared exactly by the values `=` treats as equal on this field; None when only SQL can tell."""
    if value is None or isinstance(value, (list, tuple, dict)):
        return None
    if schema.type in ID_TYPES:
        return to_18(value) if isinstance(value, str) and is_id(value) else None
    if schema.type is FieldType.MULTIPICKLIST:
        return None
    if schema.type.is_text:
        if not isinstance(value, str):
            return None
        if folds_case(schema):
            # SQLite's lower() folds ASCII only, PostgreSQL's folds more: they agree with Python on ASCII.
            return value.lower() if value.isascii() else None
        return value
    if schema.type in NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return None
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if schema.type is FieldType.BOOLEAN:
        return value if isinstance(value, bool) else None
    return None
