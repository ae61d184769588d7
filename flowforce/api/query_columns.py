"""`query?q=…&columns=true`: the query's column metadata instead of its rows.

`sf data query` asks for it after every non-empty query and fails with "Value is not a JsonArray" without it
(reference/clients.md §4.5). Shapes follow the CLI's fixture there: a parent path (`Owner.Name`) is one column
per relationship with the fields under `joinColumns` (several fields through the same relationship share it), a
subquery is an `aggregate` column whose `joinColumns` are its fields, and a function is an `aggregate` column
named by its alias or `exprN` with the function text as `displayName`. The keys beside `columnMetadata` are
UNCONFIRMED (the CLI reads none of them).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.query import compile_readable
from flowforce.api.record_ops import Caller
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema
from flowforce.soql import ast
from flowforce.soql.bound import BoundField, BoundFunction, OutputColumn, ResolvedChild, ResolvedQuery

APEX_TYPES = {
    FieldType.ID: "Id", FieldType.REFERENCE: "Id", FieldType.BOOLEAN: "Boolean", FieldType.DOUBLE: "Double",
    FieldType.CURRENCY: "Decimal", FieldType.PERCENT: "Double", FieldType.INT: "Integer", FieldType.DATE: "Date",
    FieldType.DATETIME: "Datetime", FieldType.TIME: "Time", FieldType.BASE64: "Blob", FieldType.ADDRESS: "Address",
    FieldType.LOCATION: "Location", FieldType.ANYTYPE: "Object",
}  # fmt: skip
NUMBER_TYPES = frozenset({FieldType.DOUBLE, FieldType.CURRENCY, FieldType.PERCENT, FieldType.INT})


def column(name: str, *, display: str | None = None, apex_type: str | None = None, aggregate: bool = False,
           field: FieldSchema | None = None, foreign_key: str | None = None,
           join: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    kind = field.type if field is not None else None
    return {
        "aggregate": aggregate, "apexType": apex_type, "booleanType": kind is FieldType.BOOLEAN, "columnName": name,
        "custom": field is not None and field.custom, "displayName": display or name, "foreignKeyName": foreign_key,
        "insertable": field is not None and field.createable, "joinColumns": join or [],
        "numberType": kind in NUMBER_TYPES, "textType": kind is not None and kind.is_text and kind is not FieldType.ID,
        "updatable": field is not None and field.updateable,
    }  # fmt: skip


def field_column(field: FieldSchema) -> dict[str, Any]:
    return column(field.name, apex_type=APEX_TYPES.get(field.type, "String"), field=field)


def function_text(expr: BoundFunction) -> str:
    arg = expr.arg
    inner = function_text(arg) if isinstance(arg, BoundFunction) else ".".join(
        [*(step.name for step in arg.steps), arg.name]) if arg is not None else ""
    return f"{expr.name}({inner})"


def add_field(columns: list[dict[str, Any]], bound: BoundField) -> None:
    """Add a field, merging parent paths: `Owner.Name` and `Owner.Email` share one `Owner` column."""
    level = columns
    for step in bound.steps:
        existing = next((entry for entry in level if entry["columnName"] == step.name and entry["foreignKeyName"]),
                        None)
        if existing is None:
            target = step.targets[0].name if len(step.targets) == 1 else "Name"
            existing = column(step.name, apex_type=target, foreign_key=step.reference.name, field=step.reference)
            level.append(existing)
        level = existing["joinColumns"]
    level.append(field_column(bound.schema))


def add_output(columns: list[dict[str, Any]], output: OutputColumn) -> None:
    expr = output.expr
    if isinstance(expr, BoundFunction):
        columns.append(column(output.name, display=function_text(expr), aggregate=expr.aggregate,
                              apex_type=APEX_TYPES.get(expr.result_type, "String")))
    else:
        add_field(columns, expr)


def child_column(child: ResolvedChild) -> dict[str, Any]:
    return column(child.name, aggregate=True, apex_type=child.query.obj.name,
                  join=select_columns(child.query, None))


def select_columns(resolved: ResolvedQuery, query: ast.Query | None) -> list[dict[str, Any]]:
    """Columns in select-list order: the AST gives the order of fields and subqueries (the resolved query keeps
    them apart); FIELDS(...) columns come where the first macro stands."""
    columns: list[dict[str, Any]] = []
    outputs, children = list(resolved.columns), list(resolved.children)
    if query is None:
        for output in outputs:
            add_output(columns, output)
        columns.extend(child_column(child) for child in children)
        return columns
    plain = sum(1 for item in query.fields if not isinstance(item, ast.Query | ast.FieldsMacro))
    macro_count = len(outputs) - plain if resolved.kind != "count" else 0
    for item in query.fields:
        if isinstance(item, ast.Query):
            columns.append(child_column(children.pop(0)))
            continue
        take = macro_count if isinstance(item, ast.FieldsMacro) else 1
        if isinstance(item, ast.FieldsMacro):
            macro_count = 0
        for output in outputs[:take]:
            add_output(columns, output)
        del outputs[:take]
    return columns


def column_metadata(caller: Caller, soql: str) -> dict[str, Any]:
    compiled = compile_readable(caller, soql)
    resolved = compiled.resolved
    obj: ObjectSchema = resolved.obj
    return {
        "columnMetadata": select_columns(resolved, compiled.query), "entityName": obj.name,
        "groupBy": bool(resolved.group_by),
        "idSelected": any(isinstance(out.expr, BoundField) and not out.expr.steps and out.expr.type is FieldType.ID
                          for out in resolved.columns),
        "keyPrefix": obj.key_prefix,
    }  # fmt: skip


async def query_columns(request: Request, soql: str) -> Response:
    caller = caller_for(request)
    return json_response(await run_in_threadpool(column_metadata, caller, soql))
