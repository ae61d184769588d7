"""SOQL fixtures: a registry with one custom object, and a seeded store on every configured database.

The seeded store is module-scoped (seeding is the slow part) and each test gets a transaction that is
rolled back, so tests may write freely. PostgreSQL runs only when FLOWFORCE_TEST_DATABASE_URL is set,
in a schema of its own per module (search_path via connection options), dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from scratch_db import scratch_database

from flowforce.clock import ControllableClock
from flowforce.records.field_builders import (
    boolean,
    currency,
    date,
    datetime_,
    integer,
    picklist,
    reference,
    system_fields,
    text,
    textarea,
)
from flowforce.records.registry_builder import ObjectDraft, RegistryBuilder
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.records.tables import TableMap, build_tables
from flowforce.records.transaction import Transaction
from flowforce.soql import CompiledQuery, QueryResult, compile_query, parse_soql, run_soql

NOW = dt.datetime(2024, 5, 15, 12, 30, tzinfo=dt.UTC)  # a Wednesday


def _project_object() -> ObjectDraft:
    draft = ObjectDraft("Project__c", "Project", "Projects", custom=True)
    fields = [
        *system_fields("Project", owner=True),
        text("Name", 80, nillable=False, name_field=True),
        reference("Account__c", ("Account",), "Account__r", "Projects__r", custom=True),
        picklist("Tags__c", ("Red", "Green", "Blue"), multi=True, custom=True),
        currency("Budget__c", 16, 2, custom=True),
        integer("Size__c", custom=True),
        date("Due__c", custom=True),
        datetime_("Started__c", custom=True),
        boolean("Done__c", custom=True),
        textarea("Notes__c", 131072, custom=True, filterable=False, sortable=False, groupable=False),
        text("Code__c", 20, custom=True, case_sensitive=True),
        currency("Double_Budget__c", 18, 2, custom=True, formula="Budget__c * 2", createable=False, updateable=False),
    ]
    for field in fields:
        draft.add_field(field)
    return draft


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    builder = RegistryBuilder()
    builder.add_object(_project_object())
    return builder.build()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('soql') / 'store.db'}"
    with scratch_database(request.param, sqlite_url, "ff_soql") as url:
        yield url


@dataclass
class Seeded:
    """Ids of the seed records by a short name."""

    ids: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


@pytest.fixture(scope="module")
def store(db_url: str, registry: SchemaRegistry) -> Iterator[RecordStore]:
    opened = RecordStore(db_url, registry, clock=ControllableClock(NOW))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def seeded(store: RecordStore) -> Seeded:
    ids: dict[str, str] = {}
    with store.transaction() as tx:
        profile = _insert(tx, "Profile", [{"Name": "System Administrator"}])[0]
        users = _insert(
            tx,
            "User",
            [
                {
                    "LastName": "Admin",
                    "FirstName": "Jane",
                    "Username": "jane@x.test",
                    "Email": "jane@x.test",
                    "Alias": "jadmin",
                    "ProfileId": profile,
                }
            ],
        )
        ids["user"] = users[0]
        accounts = _insert(tx, "Account", [
            {"Name": "Acme", "Industry": "Banking", "AnnualRevenue": Decimal("1000"), "NumberOfEmployees": 50,
             "OwnerId": ids["user"]},
            {"Name": "beta corp", "Industry": "Media", "AnnualRevenue": Decimal("250"), "NumberOfEmployees": 5},
            {"Name": "Gamma", "AnnualRevenue": None},
        ])  # fmt: skip
        ids.update(acme=accounts[0], beta=accounts[1], gamma=accounts[2])
        child = _insert(tx, "Account", [{"Name": "Acme Child", "ParentId": ids["acme"], "Industry": "Banking"}])
        ids["acme_child"] = child[0]
        contacts = _insert(tx, "Contact", [
            {"LastName": "Smith", "FirstName": "Ann", "AccountId": ids["acme"], "Birthdate": dt.date(1990, 5, 15)},
            {"LastName": "Jones", "FirstName": "Bob", "AccountId": ids["acme"], "Birthdate": dt.date(1985, 1, 2)},
            {"LastName": "Brown", "AccountId": ids["beta"]},
            {"LastName": "Loner"},
        ])  # fmt: skip
        ids.update(smith=contacts[0], jones=contacts[1], brown=contacts[2], loner=contacts[3])
        projects = _insert(tx, "Project__c", [
            {"Name": "P1", "Account__c": ids["acme"], "Tags__c": "Red;Green", "Budget__c": Decimal("10.50"),
             "Size__c": 3, "Due__c": dt.date(2024, 5, 15), "Started__c": dt.datetime(2024, 5, 14, 23, 0, tzinfo=dt.UTC),
             "Done__c": True, "Code__c": "AbC"},
            {"Name": "P2", "Account__c": ids["acme"], "Tags__c": "Blue", "Budget__c": Decimal("99.99"), "Size__c": 7,
             "Due__c": dt.date(2024, 6, 1), "Started__c": dt.datetime(2024, 5, 15, 8, 0, tzinfo=dt.UTC)},
            {"Name": "P3", "Account__c": ids["beta"], "Due__c": dt.date(2023, 12, 31)},
        ])  # fmt: skip
        ids.update(p1=projects[0], p2=projects[1], p3=projects[2])
        deleted = _insert(tx, "Account", [{"Name": "Deleted Co"}])
        ids["deleted"] = deleted[0]
        tx.delete("Account", [ids["deleted"]])
    return Seeded(ids)


def _insert(tx: Transaction, object_name: str, rows: list[dict[str, Any]]) -> list[str]:
    results = tx.insert(object_name, rows)
    assert all(r.success for r in results), results
    return [r.id for r in results if r.id]


@pytest.fixture
def tx(store: RecordStore, seeded: Seeded) -> Iterator[Transaction]:
    transaction = store.transaction()
    try:
        yield transaction
    finally:
        transaction.rollback()


@pytest.fixture
def soql(tx: Transaction):  # type: ignore[no-untyped-def]
    """Run SOQL text in the test's transaction."""

    def run(text: str, **kwargs: Any) -> QueryResult:
        return run_soql(text, tx, **kwargs)

    return run


def names(result: QueryResult, field: str = "Name") -> list[Any]:
    return [record[field] for record in result.records]


@pytest.fixture(scope="session")
def tables(registry: SchemaRegistry) -> TableMap:
    """Tables without a database, for compile-only tests."""
    return build_tables(registry, sa.MetaData())


@pytest.fixture(scope="session")
def compile_soql(registry: SchemaRegistry, tables: TableMap):  # type: ignore[no-untyped-def]
    def run(text: str) -> CompiledQuery:
        return compile_query(parse_soql(text), registry, tables)

    return run
