"""What the runtime plugs into a store: DML hooks at Salesforce's points of the order of execution, and
after-commit work that runs only for changes that were kept (records/hooks.py, records/transaction.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from flowforce.records.errors import FieldCustomValidationException, RecordError
from flowforce.records.hooks import RecordErrors, SaveOperation
from flowforce.records.record import Record
from flowforce.records.schema import ObjectSchema
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction


@dataclass
class RecordingHooks:
    """Logs every call; before-save upper-cases Account names; refuses names and deletes it is told to."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)
    refuse_after_save: str | None = None
    refuse_delete: bool = False

    def before_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                    records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        self.calls.append(("before_save", obj.name, operation, [r.get("Name") for r in records],
                           [p.get("Name") if p else None for p in priors]))
        for record in records:
            if obj.name == "Account" and isinstance(record.get("Name"), str):
                record["Name"] = record["Name"].upper()
        return [None] * len(records)

    def after_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                   records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        self.calls.append(("after_save", obj.name, operation, [r.get("Name") for r in records]))
        errors: list[RecordError | None] = []
        for record in records:
            refused = self.refuse_after_save is not None and record.get("Name") == self.refuse_after_save
            errors.append(FieldCustomValidationException("refused after save") if refused else None)
        return errors

    def before_delete(self, tx: Transaction, obj: ObjectSchema, records: Sequence[Record]) -> RecordErrors:
        self.calls.append(("before_delete", obj.name, [r.get("Name") for r in records]))
        return [FieldCustomValidationException("kept") if self.refuse_delete else None for _ in records]


@pytest.fixture
def hooks(store: RecordStore) -> RecordingHooks:
    recording = RecordingHooks()
    store.hooks = recording
    return recording


def names(store: RecordStore) -> list[str]:
    with store.transaction() as tx:
        rows = tx.connection.exec_driver_sql("SELECT name FROM account WHERE isdeleted = false ORDER BY name")
        return [row[0] for row in rows]


def test_before_save_changes_are_saved_and_after_save_sees_them(store: RecordStore, hooks: RecordingHooks) -> None:
    with store.transaction() as tx:
        [created] = tx.insert("Account", [{"Name": "acme"}])
        tx.update("Account", [{"Id": created.id, "Name": "acme two"}])
    assert names(store) == ["ACME TWO"]
    assert hooks.calls == [
        ("before_save", "Account", "insert", ["acme"], [None]),
        ("after_save", "Account", "insert", ["ACME"]),
        ("before_save", "Account", "update", ["acme two"], ["ACME"]),
        ("after_save", "Account", "update", ["ACME TWO"]),
    ]


def test_after_save_errors_fail_only_their_records_and_undo_their_writes(store: RecordStore,
                                                                          hooks: RecordingHooks) -> None:
    hooks.refuse_after_save = "BAD"
    with store.transaction() as tx:
        results = tx.insert("Account", [{"Name": "good"}, {"Name": "bad"}, {"Name": "fine"}], all_or_none=False)
    assert [result.success for result in results] == [True, False, True]
    assert results[1].errors[0].status_code == "FIELD_CUSTOM_VALIDATION_EXCEPTION"
    assert names(store) == ["FINE", "GOOD"]


def test_after_save_errors_with_all_or_none_save_nothing(store: RecordStore, hooks: RecordingHooks) -> None:
    hooks.refuse_after_save = "BAD"
    with store.transaction() as tx:
        results = tx.insert("Account", [{"Name": "good"}, {"Name": "bad"}], all_or_none=True)
    assert [r.errors[0].status_code for r in results] == ["ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                                          "FIELD_CUSTOM_VALIDATION_EXCEPTION"]
    assert names(store) == []


def test_before_delete_sees_the_stored_row_and_can_refuse(store: RecordStore, hooks: RecordingHooks) -> None:
    with store.transaction() as tx:
        [created] = tx.insert("Account", [{"Name": "keep"}])
    hooks.refuse_delete = True
    with store.transaction() as tx:
        [result] = tx.delete("Account", [str(created.id)], all_or_none=False)
    assert not result.success and result.errors[0].message == "kept"
    assert hooks.calls[-1] == ("before_delete", "Account", ["KEEP"])
    assert names(store) == ["KEEP"]


def test_after_commit_work_runs_after_commit_only(store: RecordStore) -> None:
    ran: list[str] = []
    with store.transaction() as tx:
        tx.after_commit(lambda: ran.append("kept"))
        assert ran == []
    assert ran == ["kept"]
    tx = store.transaction()
    tx.after_commit(lambda: ran.append("rolled back"))
    tx.rollback()
    assert ran == ["kept"]


def test_a_savepoint_rollback_drops_the_work_queued_since(store: RecordStore) -> None:
    ran: list[str] = []
    with store.transaction() as tx:
        tx.after_commit(lambda: ran.append("before"))
        marker = tx.savepoint()
        tx.after_commit(lambda: ran.append("inside"))
        marker.rollback()
        tx.after_commit(lambda: ran.append("after"))
    assert ran == ["before", "after"]


def test_failing_after_commit_work_does_not_undo_the_commit(store: RecordStore) -> None:
    def explode() -> None:
        raise RuntimeError("mail server down")

    with store.transaction() as tx:
        tx.insert("Account", [{"Name": "Saved"}])
        tx.after_commit(explode)
    assert names(store) == ["Saved"]

