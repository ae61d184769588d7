"""Bring an existing database in line with the metadata at start, without losing data.

New objects get tables, new fields get columns (and indexes). A field whose storage kind changed (text ↔
number, a decimal's scale, …) is refused with :class:`SchemaMigrationError` before anything is altered: the
store records each field's storage kind in ``ff_schema`` to detect it. Removed fields and objects keep their
columns and tables, so re-adding them brings the data back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from flowforce.records.errors import SchemaMigrationError
from flowforce.records.schema import SchemaRegistry
from flowforce.records.tables import TableMap, storage_kind

log = logging.getLogger(__name__)


def internal_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """``ff_schema`` (storage kind per field) and ``ff_autonumber`` (last number per auto-number field)."""
    schema_table = sa.Table(
        "ff_schema",
        metadata,
        sa.Column("object_name", sa.String(255), primary_key=True),
        sa.Column("field_name", sa.String(255), primary_key=True),
        sa.Column("storage_kind", sa.String(64), nullable=False),
    )
    autonumber_table = sa.Table(
        "ff_autonumber",
        metadata,
        sa.Column("object_name", sa.String(255), primary_key=True),
        sa.Column("field_name", sa.String(255), primary_key=True),
        sa.Column("last_value", sa.BigInteger, nullable=False),
    )
    return schema_table, autonumber_table


def _expected_kinds(registry: SchemaRegistry) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(table, column) → (Object, Field, kind) for every stored field."""
    return {
        (obj.table_name, f.column_name): (obj.name, f.name, storage_kind(f))
        for obj in registry.objects()
        for f in obj.stored_fields()
    }


def _check_kinds(conn: Connection, schema_table: sa.Table, expected: dict[tuple[str, str], Any]) -> None:
    problems = []
    for row in conn.execute(sa.select(schema_table)):
        wanted = expected.get((row.object_name, row.field_name))
        if wanted is not None and wanted[2] != row.storage_kind:
            problems.append(
                f"{wanted[0]}.{wanted[1]}: stored as {row.storage_kind}, metadata now requires {wanted[2]}"
            )
    if problems:
        raise SchemaMigrationError(
            "Incompatible field type change (the existing data cannot be kept as is): " + "; ".join(problems)
            + ". Rename the field or migrate the data by hand."
        )


def _add_column(conn: Connection, table: sa.Table, column: sa.Column[Any]) -> None:
    dialect = conn.dialect
    preparer = dialect.identifier_preparer
    ddl = (
        f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} "
        f"{column.type.compile(dialect=dialect)}"
    )
    if not column.nullable:
        ddl += " DEFAULT false NOT NULL" if dialect.name != "sqlite" else " DEFAULT 0 NOT NULL"
    conn.exec_driver_sql(ddl)


def _record_kinds(conn: Connection, schema_table: sa.Table, expected: dict[tuple[str, str], Any]) -> None:
    known = {(r.object_name, r.field_name) for r in conn.execute(sa.select(schema_table))}
    rows = [
        {"object_name": table, "field_name": column, "storage_kind": kind}
        for (table, column), (_, _, kind) in expected.items()
        if (table, column) not in known
    ]
    if rows:
        conn.execute(schema_table.insert(), rows)


def schema_lock(conn: Connection, name: str) -> None:
    """Processes starting together on one PostgreSQL database change its schema one at a time (held until the
    transaction ends). Issue 9 item 6: the second of two servers started at once died creating `ff_schema`."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


@contextmanager
def schema_locked(engine: sa.Engine, name: str) -> Iterator[None]:
    """Hold *name*'s lock (PostgreSQL) while the block runs its own transactions: set-up work of several steps,
    each committed apart, done by one starting process at a time. Nothing to hold on SQLite (one writer)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.begin() as conn:
        schema_lock(conn, name)
        yield


def _create_index(conn: Connection, index: sa.Index) -> None:
    """Create *index*; a unique one the existing rows already break is left out with a warning (DML still
    checks uniqueness itself) rather than stopping the server."""
    if not index.unique:
        index.create(conn)
        return
    try:
        with conn.begin_nested():
            index.create(conn)
    except IntegrityError:
        log.warning("%s: existing rows hold duplicate values, so the unique index is not created; remove the "
                    "duplicates and restart to have the database enforce uniqueness", index.name)


def migrate(conn: Connection, registry: SchemaRegistry, tables: TableMap, internal: tuple[sa.Table, ...]) -> None:
    """Create or extend every table in one database transaction (DDL is transactional on both stores)."""
    schema_lock(conn, "flowforce.records.schema")
    schema_table = internal[0]
    for table in internal:
        table.create(conn, checkfirst=True)
    expected = _expected_kinds(registry)
    _check_kinds(conn, schema_table, expected)
    inspector = sa.inspect(conn)
    existing_tables = set(inspector.get_table_names())
    for table in tables.tables():
        if table.name not in existing_tables:
            table.create(conn)
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                _add_column(conn, table, column)
        present_indexes = _index_names(conn, inspector, table.name)
        for index in table.indexes:
            if index.name not in present_indexes:
                _create_index(conn, index)
    _record_kinds(conn, schema_table, expected)


def _index_names(conn: sa.Connection, inspector: Any, table_name: str) -> set[str]:
    """Index names on *table_name*; SQLite's reflection skips expression indexes, so ask its catalogue."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"),
                            {"table": table_name})
        return {row[0] for row in rows}
    return {ix["name"] for ix in inspector.get_indexes(table_name) if ix.get("name")}
