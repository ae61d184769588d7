"""Record elements over a real store: every test runs on SQLite and, when FLOWFORCE_TEST_DATABASE_URL is set,
on PostgreSQL in a schema of its own (the same isolation as tests/records/conftest.py: CREATE SCHEMA per test,
search_path through the connection options, DROP SCHEMA … CASCADE afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scratch_db import scratch_database

from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

from .kit import Harness


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return SchemaRegistry.standard()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'store.db'}") as url:
        yield url


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
