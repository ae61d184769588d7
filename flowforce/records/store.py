"""The record store: a database (SQLite file by default, PostgreSQL when the URL says so) holding one table per
sObject, migrated to the metadata when opened, and handing out :class:`Transaction` objects.

SQLite specifics live in :func:`_sqlite_engine`: WAL journal so readers never wait for the writer, a busy
timeout, and explicit ``BEGIN IMMEDIATE`` (pysqlite's own transaction handling would break savepoints, and an
immediate write lock avoids the deadlock two deferred writers can get into).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from flowforce.clock import SYSTEM_CLOCK, Clock
from flowforce.records.hooks import NO_HOOKS, RecordHooks
from flowforce.records.limits import GovernorLimits
from flowforce.records.migration import internal_tables, migrate
from flowforce.records.schema import SchemaRegistry
from flowforce.records.tables import build_tables
from flowforce.records.transaction import Transaction


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if in_memory:
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see below)
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads (RecordStore.reading) need no write lock: WAL lets them run beside the writer.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


READ_ONLY = "flowforce_read_only"


def create_store_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True)


class RecordStore:
    """*hooks* is what the runtime plugs into every DML (record-triggered flows); *clock* is the org's clock."""

    def __init__(self, url: str, registry: SchemaRegistry, *, clock: Clock = SYSTEM_CLOCK,
                 default_limits: GovernorLimits | None = None) -> None:
        self.url = url
        self.registry = registry
        self.engine = create_store_engine(url)
        self.metadata = sa.MetaData()
        self.tables = build_tables(registry, self.metadata)
        self._internal = internal_tables(self.metadata)
        self.clock = clock
        self.hooks: RecordHooks = NO_HOOKS
        self._default_limits = default_limits
        with self.engine.begin() as conn:
            migrate(conn, registry, self.tables, self._internal)
        from flowforce.records.project_records import sync_project_records  # it builds on this module

        sync_project_records(self)

    def extend_schema(self, registry: SchemaRegistry) -> None:
        """Migrate the database to *registry* and serve it from now on (a deploy adding objects and fields): new
        tables and columns only; a field whose storage changed raises SchemaMigrationError, nothing altered."""
        metadata = sa.MetaData()
        tables = build_tables(registry, metadata)
        internal = internal_tables(metadata)
        with self.engine.begin() as conn:
            migrate(conn, registry, tables, internal)
        self.registry, self.metadata, self.tables, self._internal = registry, metadata, tables, internal

    @classmethod
    def open(cls, url: str, registry: SchemaRegistry, **kwargs: Any) -> RecordStore:
        return cls(url, registry, **kwargs)

    @property
    def dialect_name(self) -> str:
        return self.engine.dialect.name

    def now(self) -> dt.datetime:
        return self.clock.now()

    def transaction(self, user_id: str | None = None, limits: GovernorLimits | None = None, *,
                    system: bool = False) -> Transaction:
        if limits is None and self._default_limits is not None:
            base = self._default_limits
            limits = GovernorLimits(base.max_soql_queries, base.max_soql_rows, base.max_dml_statements,
                                    base.max_dml_rows)
        return Transaction(self, user_id, limits, system=system)

    def next_auto_number(self, conn: Connection, object_name: str, field_name: str) -> int:
        """The next number of an auto-number field (kept in ``ff_autonumber``, locked by the row update)."""
        table = self._internal[1]
        key = (table.c.object_name == object_name.lower()) & (table.c.field_name == field_name.lower())
        increment = table.update().where(key).values(last_value=table.c.last_value + 1)
        if conn.execute(increment).rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(table.insert().values(object_name=object_name.lower(),
                                                       field_name=field_name.lower(), last_value=1))
                return 1
            except IntegrityError:  # another transaction numbered its first record at the same moment
                conn.execute(increment)
        return int(conn.execute(sa.select(table.c.last_value).where(key)).scalar_one())

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads outside any transaction of this thread (a worker looking for due jobs): on
        SQLite it does not take the write lock."""
        with self.engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
