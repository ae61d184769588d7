"""One SQL table per sObject, one column per stored field: the contract the SOQL engine builds queries on.

Table and column names are the lower-cased API names (``Account.AnnualRevenue`` → ``account.annualrevenue``).
Text of every kind is stored as TEXT (lengths are enforced by DML, so widening a field needs no migration).
Formula fields have no column; :func:`evaluate_formula_fields` computes them after rows are loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from flowforce.records.column_types import ExactDecimal, UtcDateTime
from flowforce.records.formula_fields import evaluate_formula_fields
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema, SchemaRegistry

__all__ = [
    "TableMap",
    "build_tables",
    "column_type",
    "evaluate_formula_fields",
    "storage_kind",
    "typed_aggregate",
]


def storage_kind(field: FieldSchema) -> str:
    """What a column physically holds; two field types with the same kind can replace each other freely."""
    if field.type is FieldType.BOOLEAN:
        return "boolean"
    if field.type is FieldType.INT:
        return "integer"
    if field.type.is_decimal:
        return f"decimal({field.scale})"
    if field.type is FieldType.DATE:
        return "date"
    if field.type is FieldType.DATETIME:
        return "datetime"
    if field.type is FieldType.TIME:
        return "time"
    return "text"


def column_type(field: FieldSchema) -> sa.types.TypeEngine[Any]:
    kind = storage_kind(field)
    if kind.startswith("decimal"):
        return ExactDecimal(field.precision or 18, field.scale)
    simple: dict[str, sa.types.TypeEngine[Any]] = {
        "boolean": sa.Boolean(create_constraint=False),
        "integer": sa.BigInteger(),
        "date": sa.Date(),
        "datetime": UtcDateTime(),
        "time": sa.Time(),
        "text": sa.Text(),
    }
    return simple[kind]


def _column(field: FieldSchema) -> sa.Column[Any]:
    if field.type is FieldType.ID:
        return sa.Column(field.column_name, sa.String(18), primary_key=True)
    if field.type is FieldType.BOOLEAN:
        # Checkboxes are never null (describe: nillable false, default false).
        return sa.Column(field.column_name, column_type(field), nullable=False, server_default=sa.false())
    return sa.Column(field.column_name, column_type(field), nullable=True)


def _indexed(field: FieldSchema) -> bool:
    return field.type is FieldType.REFERENCE or field.unique or field.external_id or field.name_field


class TableMap:
    """Object name → SQLAlchemy Table, with case-insensitive lookups by object and field API names."""

    def __init__(self, registry: SchemaRegistry, tables: dict[str, sa.Table]) -> None:
        self.registry = registry
        self._tables = tables

    def table(self, object_name: str) -> sa.Table:
        return self._tables[self.registry.get(object_name).table_name]

    def column(self, object_name: str, field_name: str) -> sa.Column[Any]:
        schema = self.registry.get(object_name).field(field_name)
        return self.table(object_name).c[schema.column_name]

    def tables(self) -> Iterable[sa.Table]:
        return self._tables.values()


def _build_table(obj: ObjectSchema, metadata: sa.MetaData) -> sa.Table:
    columns = [_column(f) for f in obj.stored_fields()]
    table = sa.Table(obj.table_name, metadata, *columns)
    for field in obj.stored_fields():
        if _indexed(field) and field.type is not FieldType.ID:
            column = table.c[field.column_name]
            sa.Index(f"ix_{obj.table_name}_{field.column_name}", column)
            if field.type.is_text and not field.case_sensitive:
                # SOQL compares text case-insensitively (lower(col) = lower(:v)): give that an index too.
                sa.Index(f"ix_{obj.table_name}_{field.column_name}_ci", sa.func.lower(column))
        if field.unique and field.type is not FieldType.ID:
            unique_index(table, field)
    return table


def unique_index_name(obj: ObjectSchema, field: FieldSchema) -> str:
    return f"ux_{obj.table_name}_{field.column_name}"


def unique_index(table: sa.Table, field: FieldSchema) -> sa.Index:
    """The database's own guard for a Unique field (issue 9 item 6: ten concurrent upserts once made seven rows):
    over live rows only (a deleted record's value may be reused), and case-insensitive unless the field is
    case-sensitive, as Salesforce compares. DML checks first to name the duplicate; this catches races."""
    column = table.c[field.column_name]
    key = sa.func.lower(column) if field.type.is_text and not field.case_sensitive else column
    live = table.c.isdeleted == sa.false()
    return sa.Index(f"ux_{table.name}_{field.column_name}", key, unique=True, sqlite_where=live,
                    postgresql_where=live)


def build_tables(registry: SchemaRegistry, metadata: sa.MetaData) -> TableMap:
    return TableMap(registry, {obj.table_name: _build_table(obj, metadata) for obj in registry.objects()})


def typed_aggregate(function: str, column: sa.Column[Any]) -> ColumnElement[Any]:
    """``func.<function>(column)`` whose result is read back through the column's type.

    Needed for AVG on decimal columns: SQLite stores them scaled (column_types.py), and only a result typed like
    the column is unscaled when read.
    """
    return sa.type_coerce(getattr(sa.func, function)(column), column.type)
