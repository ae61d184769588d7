"""Shared fixtures: the fixture SFDX project's registry and a record store on every configured database.

Every store test runs on SQLite (a WAL file in tmp_path) and, when FLOWFORCE_TEST_DATABASE_URL is set, on
PostgreSQL in a schema of its own (search_path via the connection options), so parallel workers never meet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scratch_db import scratch_database

from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = FIXTURES / "project"


def formula_engine_available() -> bool:
    try:
        from flowforce.formula import compile_formula  # noqa: F401
    except ImportError:
        return False
    return True


requires_formula = pytest.mark.skipif(not formula_engine_available(), reason="flowforce.formula not built yet")


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return SchemaRegistry.load(PROJECT)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL (reusable: tests may open several stores on it)."""
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
def txn(store: RecordStore) -> Iterator[Transaction]:
    """An open transaction, rolled back at the end of the test."""
    transaction = store.transaction()
    try:
        yield transaction
    finally:
        if transaction.is_active:
            transaction.rollback()
