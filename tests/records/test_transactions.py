"""A transaction is all or nothing; savepoints roll back part of it; limits stop it."""

from __future__ import annotations

import pytest

from flowforce.records.errors import LimitException
from flowforce.records.limits import GovernorLimits
from flowforce.records.store import RecordStore

from .helpers import insert_one


def _names(store: RecordStore) -> list[str]:
    with store.transaction() as txn:
        table = txn.tables.table("Account")
        return sorted(txn.connection.execute(table.select().with_only_columns(table.c.name)).scalars())


def test_commit_on_success(store: RecordStore) -> None:
    with store.transaction() as txn:
        insert_one(txn, "Account", {"Name": "kept"})
    assert _names(store) == ["kept"]


def test_exception_rolls_everything_back(store: RecordStore) -> None:
    with store.transaction() as txn:
        insert_one(txn, "Account", {"Name": "before"})
    with pytest.raises(RuntimeError), store.transaction() as txn:
        insert_one(txn, "Account", {"Name": "lost"})
        raise RuntimeError("boom")
    assert _names(store) == ["before"]


def test_explicit_rollback(store: RecordStore) -> None:
    txn = store.transaction()
    insert_one(txn, "Account", {"Name": "lost"})
    txn.rollback()
    assert _names(store) == []


def test_savepoint_rollback_keeps_earlier_work(store: RecordStore) -> None:
    with store.transaction() as txn:
        insert_one(txn, "Account", {"Name": "first"})
        savepoint = txn.savepoint()
        insert_one(txn, "Account", {"Name": "second"})
        savepoint.rollback()
        insert_one(txn, "Account", {"Name": "third"})
    assert _names(store) == ["first", "third"]


def test_limit_exception_stops_the_transaction(store: RecordStore) -> None:
    with pytest.raises(LimitException) as caught, store.transaction() as txn:
        for index in range(151):
            txn.insert("Account", [{"Name": f"a{index}"}])
    assert caught.value.message == "Too many DML statements: 151"
    assert _names(store) == []


def test_empty_dml_counts_as_a_statement(store: RecordStore) -> None:
    with store.transaction() as txn:
        assert txn.insert("Account", []) == []
        txn.update("Account", [])
        txn.delete("Account", [])
        assert (txn.limits.dml_statements, txn.limits.dml_rows) == (3, 0)


def test_custom_limits(store: RecordStore) -> None:
    with pytest.raises(LimitException) as caught, \
            store.transaction(limits=GovernorLimits(max_dml_rows=2)) as txn:
        txn.insert("Account", [{"Name": "a"}, {"Name": "b"}, {"Name": "c"}])
    assert caught.value.message == "Too many DML rows: 3"


def test_in_memory_sqlite_works(registry) -> None:  # type: ignore[no-untyped-def]
    memory = RecordStore.open("sqlite://", registry)
    with memory.transaction() as txn:
        insert_one(txn, "Account", {"Name": "m"})
    assert _names(memory) == ["m"]
    assert memory.dialect_name == "sqlite"
    memory.close()
