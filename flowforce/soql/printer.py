"""`ast.Query` → SOQL text (the sqlglot "generator" stage).

Used for traces (the SOQL a Get Records ran) and to place errors in hand-built queries: the printed
text parses back to an equal Query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flowforce.soql import ast

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def print_query(query: ast.Query) -> str:
    parts = [f"SELECT {', '.join(print_select_item(item) for item in query.fields)} FROM {query.object_name}"]
    if query.where is not None:
        parts.append(f"WHERE {print_condition(query.where)}")
    if query.with_clause:
        parts.append(f"WITH {query.with_clause}")
    if query.group_by:
        parts.append(f"GROUP BY {', '.join(print_expr(expr) for expr in query.group_by)}")
    if query.having is not None:
        parts.append(f"HAVING {print_condition(query.having)}")
    if query.order_by:
        parts.append(f"ORDER BY {', '.join(print_order_item(item) for item in query.order_by)}")
    if query.limit is not None:
        parts.append(f"LIMIT {query.limit}")
    if query.offset is not None:
        parts.append(f"OFFSET {query.offset}")
    flags = (
        (query.for_view, "FOR VIEW"),
        (query.for_reference, "FOR REFERENCE"),
        (query.for_update, "FOR UPDATE"),
        (query.all_rows, "ALL ROWS"),
    )
    parts.extend(text for present, text in flags if present)
    return " ".join(parts)


def print_select_item(item: ast.SelectItem) -> str:
    if isinstance(item, ast.Query):
        return f"({print_query(item)})"
    if isinstance(item, ast.FieldsMacro):
        return f"FIELDS({item.kind})"
    if isinstance(item, ast.Alias):
        return f"{print_expr(item.expr)} {item.name}"
    return print_expr(item)


def print_expr(expr: ast.Expr) -> str:
    if isinstance(expr, ast.FunctionCall):
        return f"{expr.name}({', '.join(print_expr(arg) for arg in expr.args)})"
    return expr.dotted


def print_order_item(item: ast.OrderItem) -> str:
    text = print_expr(item.expr) + (" DESC" if item.descending else " ASC")
    if item.nulls_first is not None:
        text += " NULLS FIRST" if item.nulls_first else " NULLS LAST"
    return text


def print_condition(condition: ast.Condition) -> str:
    if isinstance(condition, ast.And | ast.Or):
        joiner = " AND " if isinstance(condition, ast.And) else " OR "
        return joiner.join(_operand(operand) for operand in condition.operands)
    if isinstance(condition, ast.Not):
        return f"NOT {_operand(condition.operand)}"
    return f"{print_expr(condition.field)} {condition.operator} {print_value(condition.value)}"


def _operand(condition: ast.Condition) -> str:
    text = print_condition(condition)
    return f"({text})" if isinstance(condition, ast.And | ast.Or) else text


def print_value(value: ast.Literal | ast.DateLiteral | ast.Query) -> str:
    if isinstance(value, ast.Query):
        return f"({print_query(value)})"
    if isinstance(value, ast.DateLiteral):
        return print_literal(value)
    return print_literal(value.value)


def print_literal(value: Any) -> str:
    """One Python value as a SOQL literal."""
    if isinstance(value, ast.DateLiteral):
        return value.name if value.n is None else f"{value.name}:{value.n}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(char, char) for char in value) + "'"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return format(Decimal(str(value)), "f")
    if isinstance(value, dt.datetime):
        return print_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "(" + ", ".join(print_literal(item) for item in value) + ")"
    raise TypeError(f"cannot write {value!r} as a SOQL literal")


def print_datetime(value: dt.datetime) -> str:
    """UTC with a Z; a naive datetime is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    text = f"{value.date().isoformat()}T{value.strftime('%H:%M:%S')}"
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"
