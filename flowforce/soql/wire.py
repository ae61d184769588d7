"""QueryResult → the REST `query` JSON body (reference/api-surface.md §5).

Records carry `attributes` (type, and url unless AggregateResult), parents nest as records (null when
absent), child relationships as `{totalSize, done, records}` blocks. Paging (`nextRecordsUrl`) is the
route's business: it slices `records` and adds the cursor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flowforce.records.coercion import format_datetime
from flowforce.records.record import Record
from flowforce.soql.results import ChildResult, QueryResult


def query_result_json(result: QueryResult, api_version: str = "59.0") -> dict[str, Any]:
    return {
        "totalSize": result.total_size,
        "done": result.done,
        "records": [record_json(r, api_version) for r in result.records],
    }


def record_json(record: Record, api_version: str = "59.0") -> dict[str, Any]:
    attributes: dict[str, Any] = {"type": record.sobject_type}
    record_id = getattr(record, "record_id", None) or record.id
    if record.sobject_type != "AggregateResult" and record_id:
        attributes["url"] = f"/services/data/v{api_version}/sobjects/{record.sobject_type}/{record_id}"
    body: dict[str, Any] = {"attributes": attributes}
    for name, value in record.items():
        body[name] = _value(value, api_version)
    return body


def _value(value: Any, api_version: str) -> Any:
    if isinstance(value, Record):
        return record_json(value, api_version)
    if isinstance(value, ChildResult):
        return {
            "totalSize": value.total_size,
            "done": value.done,
            "records": [record_json(r, api_version) for r in value.records],
        }
    if isinstance(value, Decimal):
        return float(value)  # currency/double fields are JSON numbers (`23.0`)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value
