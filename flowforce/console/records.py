"""Records: the objects the user may read, an object's newest records, and a SOQL box with a results table.

Every query goes through the REST query function (`api/query.run_query`) with the user's session, so what the
console shows is exactly what `GET /query` would answer — and a bad query shows the same errorCode and message.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from flowforce.api.query import run_query
from flowforce.api.wire_values import to_wire
from flowforce.console.web import Console, PageError, Visit, error_text
from flowforce.records.errors import InvalidTypeError

ROWS = 200


def table(records: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Columns in select order; nested values (parents, child subqueries) as compact JSON."""
    columns: list[str] = []
    for record in records:
        columns += [key for key in record if key != "attributes" and key not in columns]

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dict | list):
            return json.dumps({k: v for k, v in value.items() if k != "attributes"} if isinstance(value, dict)
                              else value, default=str)
        return str(value)

    return columns, [[cell(record.get(column)) for column in columns] for record in records]


def query_table(console: Console, visit: Visit, soql: str) -> dict[str, Any]:
    try:
        result = run_query(console.caller(visit), soql, False)
    except Exception as error:
        code, message = error_text(error)
        return {"error_code": code, "error_message": message}
    records = [to_wire(record, console.api_version) for record in result.records[:ROWS]]
    columns, rows = table(records)
    return {"columns": columns, "rows": rows, "total": result.total_size, "shown": len(rows)}


def readable_objects(console: Console, visit: Visit) -> list[dict[str, Any]]:
    auth = console.org.auth
    return [{"name": obj.name, "label": obj.label, "custom": obj.name.endswith("__c")}
            for obj in sorted(console.org.registry.objects(), key=lambda item: item.name.lower())
            if auth.can_access_object(visit.session, obj.name, "read")]


async def records_page(console: Console, visit: Visit) -> Response:
    soql = (visit.request.query_params.get("q") or visit.form.get("q") or "").strip()
    result = await console.server.blocking(query_table, console, visit, soql) if soql else None
    objects = await console.server.blocking(readable_objects, console, visit)
    return console.render(visit, "records.html", objects=objects, soql=soql, result=result, title="Records")


async def object_page(console: Console, visit: Visit) -> Response:
    name = visit.request.path_params["name"]
    try:
        obj = console.org.registry.get(name)
    except InvalidTypeError:
        raise PageError(404, "NOT_FOUND", f"No object named {name}") from None
    if not console.org.auth.can_access_object(visit.session, obj.name, "read"):
        raise PageError(404, "NOT_FOUND", f"No object named {name}")
    shown = ["Id"] + ([obj.name_field.name] if obj.name_field else []) + (
        ["CreatedDate", "LastModifiedDate"] if obj.has_field("LastModifiedDate") else [])
    soql = f"SELECT {', '.join(shown)} FROM {obj.name}" + (
        " ORDER BY LastModifiedDate DESC" if obj.has_field("LastModifiedDate") else "") + f" LIMIT {ROWS}"
    result = await console.server.blocking(query_table, console, visit, soql)
    fields = [{"name": field.name, "label": field.label, "type": str(field.type)} for field in obj.fields.values()]
    return console.render(visit, "object.html", obj=obj, soql=soql, result=result, fields=fields, title=obj.label)
