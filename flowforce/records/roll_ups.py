"""Roll-up summary fields (COUNT, SUM, MIN, MAX of a master-detail's children, with filter criteria).

Kept on write rather than computed on read: a roll-up is a stored column of the parent, recomputed in SQL
(one correlated ``UPDATE … SET col = (SELECT agg …)`` per roll-up) for the parents a child DML touched, in the
same transaction. Reads, SOQL filters and ordering then cost nothing extra, and the child write pays one
statement per roll-up — flows read far more often than they write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from flowforce.records.coercion import coerce_value
from flowforce.records.errors import RecordError
from flowforce.records.record import Record
from flowforce.records.record_io import chunks
from flowforce.records.schema import FieldSchema, ObjectSchema, RollUp, SchemaRegistry, SummaryFilter
from flowforce.records.tables import TableMap

_AGGREGATES: dict[str, Any] = {"count": sa.func.count, "sum": sa.func.sum, "min": sa.func.min,
                               "max": sa.func.max}


def refresh_roll_ups(conn: sa.Connection, tables: TableMap, registry: SchemaRegistry,
                     written: Iterable[tuple[Record, Record | None]]) -> None:
    """Recompute the roll-ups of every parent the written child records (values, prior values) point or
    pointed at. Deleted and undeleted records count as written: their rows say where they point."""
    if not registry.has_roll_ups:
        return
    by_object: dict[str, list[tuple[Record, Record | None]]] = {}
    for values, prior in written:
        by_object.setdefault(values.sobject_type.lower(), []).append((values, prior))
    for child_name, records in by_object.items():
        _refresh_over(conn, tables, registry, child_name, records)


def _refresh_over(conn: sa.Connection, tables: TableMap, registry: SchemaRegistry, child_name: str,
                  records: list[tuple[Record, Record | None]]) -> None:
    roll_ups = registry.roll_ups_over(child_name)
    if not roll_ups:
        return
    child = registry.get(child_name)
    for foreign_key in {schema.roll_up.foreign_key.lower() for _, schema in roll_ups if schema.roll_up}:
        parents = _parents(conn, tables, child, child.field(foreign_key), records)
        touched: dict[str, ObjectSchema] = {}
        for parent, schema in roll_ups:
            if schema.roll_up is not None and schema.roll_up.foreign_key.lower() == foreign_key and parents:
                _recompute(conn, tables, parent, schema, child, schema.roll_up, parents)
                touched[parent.name.lower()] = parent
        for parent in touched.values():  # a roll-up of roll-ups (grandparent over parent) follows
            _refresh_over(conn, tables, registry, parent.name,
                          [(Record(parent.name, {"Id": parent_id}), None) for parent_id in parents])


def _parents(conn: sa.Connection, tables: TableMap, child: ObjectSchema, key: FieldSchema,
             records: list[tuple[Record, Record | None]]) -> list[str]:
    """Parent ids before and after: priors say where updated records pointed, the rows where they point now."""
    table = tables.table(child.name)
    column = table.c[key.column_name]
    found = {str(prior.get(key.name)) for _, prior in records if prior is not None and prior.get(key.name)}
    for batch in chunks([values["Id"] for values, _ in records]):
        found |= {str(v) for v in conn.execute(sa.select(column).where(table.c.id.in_(batch))).scalars() if v}
    return sorted(found)


def _recompute(conn: sa.Connection, tables: TableMap, parent: ObjectSchema, schema: FieldSchema,
               child: ObjectSchema, roll_up: RollUp, parent_ids: list[str]) -> None:
    parent_table = tables.table(parent.name)
    child_table = tables.table(child.name).alias("rollup_child")
    measured: Any = child_table.c.id if roll_up.summarized_field is None else \
        child_table.c[child.field(roll_up.summarized_field).column_name]
    conditions = [child_table.c[child.field(roll_up.foreign_key).column_name] == parent_table.c.id,
                  child_table.c.isdeleted.is_(sa.false())]
    conditions += [_filter(child_table, child.field(item.field), item) for item in roll_up.filters]
    aggregate: Any = _AGGREGATES[roll_up.operation](measured)
    if roll_up.operation in ("count", "sum"):
        aggregate = sa.func.coalesce(aggregate, 0)
    value = sa.select(sa.type_coerce(aggregate, parent_table.c[schema.column_name].type)) \
        .where(*conditions).scalar_subquery()
    for batch in chunks(parent_ids):
        conn.execute(parent_table.update().where(parent_table.c.id.in_(batch))
                     .values({schema.column_name: value}))


def _filter(table: sa.FromClause, schema: FieldSchema, item: SummaryFilter) -> ColumnElement[bool]:
    """One filter criterion as SQL. Text compares case-insensitively; ``equals a, b`` means either value."""
    column: Any = table.c[schema.column_name]
    raw = [part.strip() for part in (item.value or "").split(",")] if schema.type.is_text else [item.value]
    values = [_value(schema, v) for v in raw]
    if schema.type.is_text:
        column = sa.func.lower(column)
        values = [v.lower() if isinstance(v, str) else v for v in values]
    first = values[0]
    operation = item.operation
    if operation == "equals":
        return sa.or_(*[column.is_(None) if v is None else column == v for v in values])
    if operation == "notEqual":
        return sa.and_(*[column.is_not(None) if v is None else sa.or_(column.is_(None), column != v)
                         for v in values])
    if operation in ("contains", "notContain", "startsWith"):
        pattern = "%{}%" if operation != "startsWith" else "{}%"
        matches = sa.or_(*[column.like(pattern.format(v)) for v in values if v is not None])
        return sa.or_(column.is_(None), sa.not_(matches)) if operation == "notContain" else matches
    comparisons = {"lessThan": column < first, "greaterThan": column > first, "lessOrEqual": column <= first,
                   "greaterOrEqual": column >= first}
    return comparisons.get(operation, sa.false())


def _value(schema: FieldSchema, text: str | None) -> Any:
    if text in (None, ""):
        return None
    try:
        return coerce_value(schema, text)
    except RecordError:
        return text
