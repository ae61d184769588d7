"""Engine values → Salesforce JSON values (reference/api-surface.md §0, §1.4, §6.2).

Numbers are doubles on Salesforce's wire; dateTimes use `2024-01-31T09:15:00.000+0000`; records carry an
`attributes` block with their type and REST URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flowforce.records.coercion import format_datetime
from flowforce.records.errors import DmlError
from flowforce.records.record import Record
from flowforce.records.results import SaveResult
from flowforce.soql.results import ChildResult

DEFAULT_API_VERSION = "66.0"


def format_time(value: dt.time) -> str:
    return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def number(value: Decimal) -> int | float:
    if value == value.to_integral_value() and abs(value) < Decimal(2) ** 53:
        return int(value)
    return float(value)


def record_attributes(record: Record, api_version: str) -> dict[str, str]:
    attributes = {"type": record.sobject_type}
    # A queried record remembers its Id for the url even when Id was not selected (soql/results.py).
    record_id = record.known_id
    if record_id and record.sobject_type != "AggregateResult":
        attributes["url"] = f"/services/data/v{api_version}/sobjects/{record.sobject_type}/{record_id}"
    return attributes


def to_wire(value: Any, api_version: str = DEFAULT_API_VERSION) -> Any:
    """A JSON-ready copy of *value*."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_time(value)
    if isinstance(value, Record):
        body: dict[str, Any] = {"attributes": record_attributes(value, api_version)}
        for name, field_value in value.items():
            body[name] = to_wire(field_value, api_version)
        return body
    if isinstance(value, ChildResult):
        # reference/api-surface.md §5: a child subquery is a nested query result.
        return {"totalSize": value.total_size, "done": value.done,
                "records": [to_wire(item, api_version) for item in value.records]}
    if isinstance(value, Mapping):
        return {str(key): to_wire(item, api_version) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(item, api_version) for item in value]
    return str(value)


def dml_error_json(error: DmlError) -> dict[str, Any]:
    """An error inside a REST SaveResult (reference/api-surface.md §7.2)."""
    return {"statusCode": error.status_code, "message": error.message, "fields": list(error.fields)}


def save_result_json(result: SaveResult, *, include_created: bool = False) -> dict[str, Any]:
    """REST shape of a save (reference/api-surface.md §6.1, §6.5, §7.2); ``created`` only for upserts."""
    body: dict[str, Any] = {"id": result.id, "success": result.success,
                            "errors": [dml_error_json(error) for error in result.errors]}
    if include_created:
        body["created"] = result.created
    return body
