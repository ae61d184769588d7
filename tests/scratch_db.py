"""Throw-away databases for store tests: a SQLite URL as given, or a PostgreSQL schema of its own.

Every store-backed suite runs on SQLite always and on PostgreSQL when FLOWFORCE_TEST_DATABASE_URL is set;
each PostgreSQL test gets a fresh schema (search_path through the connection options) that is dropped after,
so parallel workers never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

ENV = "FLOWFORCE_TEST_DATABASE_URL"


def postgres_schema_url(base: str, schema: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


@contextmanager
def scratch_database(kind: str, sqlite_url: str, prefix: str = "ff_test") -> Iterator[str]:
    """Yield a database URL for *kind* ("sqlite" or "postgresql"); skip the test when PostgreSQL isn't set."""
    if kind == "sqlite":
        yield sqlite_url
        return
    base = os.environ.get(ENV)
    if not base:
        pytest.skip(f"{ENV} not set")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield postgres_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
