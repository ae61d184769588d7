"""Formula fields in WHERE, ORDER BY and GROUP BY: computed in Python, compared by the database.

A formula field has no column (records/formula_fields.py computes it after loading). When a query filters, sorts
or groups on one, the formula is evaluated with the very evaluator that computes it on read, for the rows of the
queried object, and the values are put in a temporary table joined on Id for that one execution. The query then
runs as if the formula were a stored column of its result type: SOQL's operators, case folding, null rules,
ordering and limits are the database's, exactly as for any other field, on SQLite and PostgreSQL alike.

The cost is one evaluation per row of the object per execution: fine for the record counts a flow server holds,
and only paid by queries that filter on formulas (bench/project_schema.py prints the figures).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.records.formula_fields import evaluate_formula_fields, formula_inputs
from flowforce.records.record_io import chunks, row_to_record
from flowforce.records.schema import FieldSchema, ObjectSchema
from flowforce.records.tables import TableMap, column_type

_NAMES = itertools.count()


@dataclass
class FormulaValues:
    """The formula fields of one query's root object that its SQL reads, and their per-execution table."""

    obj: ObjectSchema
    table: sa.Table = field(init=False)
    fields: list[FieldSchema] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.table = sa.Table(f"ff_formula_{next(_NAMES)}", sa.MetaData(), sa.Column("id", sa.String(18),
                              primary_key=True), prefixes=["TEMPORARY"])

    def column(self, schema: FieldSchema) -> sa.Column[Any]:
        if schema not in self.fields:
            self.fields.append(schema)
            self.table.append_column(sa.Column(schema.column_name, column_type(schema)))
        return self.table.c[schema.column_name]


@contextmanager
def materialized(values: FormulaValues | None, connection: Connection, tables: TableMap, fetcher: Any,
                 *, include_deleted: bool) -> Iterator[None]:
    """The temporary table of *values* filled for this execution (dropped afterwards, even on error)."""
    if values is None:
        yield
        return
    values.table.create(connection)
    try:
        _fill(values, connection, tables, fetcher, include_deleted)
        yield
    finally:
        values.table.drop(connection)


def _fill(values: FormulaValues, connection: Connection, tables: TableMap, fetcher: Any,
          include_deleted: bool) -> None:
    obj = values.obj
    source = tables.table(obj.name)
    stored = formula_inputs(obj, values.fields) or obj.stored_fields()  # only what the formulas read
    query = sa.select(*[source.c[f.column_name] for f in stored])
    if not include_deleted:
        query = query.where(source.c.isdeleted.is_(sa.false()))
    names = [f.name for f in values.fields]
    rows = []
    for row in connection.execute(query).all():
        record = evaluate_formula_fields(row_to_record(obj, row, stored), obj, fetcher, fields=names)
        rows.append({"id": record["Id"], **{f.column_name: record.get(f.name) for f in values.fields}})
    for batch in chunks(rows):
        connection.execute(values.table.insert(), batch)
