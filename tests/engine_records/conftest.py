"""Record elements over a real store: every test runs on SQLite and, when FLOWFORCE_TEST_DATABASE_URL is set,
on PostgreSQL in a schema of its own (the same isolation as tests/records/conftest.py: CREATE SCHEMA per test,
search_path through the connection options, DROP SCHEMA … CASCADE afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

from .kit import Harness


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return SchemaRegistry.standard()


def _postgres_url(base: str, schema: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get("FLOWFORCE_TEST_DATABASE_URL")
    if not base:
        pytest.skip("FLOWFORCE_TEST_DATABASE_URL not set")
    schema = f"ff_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(db_url: str, registry: SchemaRegistry) -> Iterator[RecordStore]:
    opened = RecordStore(db_url, registry)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def h(store: RecordStore) -> Harness:
    return Harness(store)
