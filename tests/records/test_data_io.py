"""Seed data import (tree and plan files, all or nothing), export and the data CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowforce.commands.data import data_app
from flowforce.records.data_io import DataImportError, export_tree, import_tree
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

from .conftest import FIXTURES, PROJECT

SEED = FIXTURES / "seed"


def _count(store: RecordStore, object_name: str) -> int:
    with store.transaction() as txn:
        return len(txn.connection.execute(txn.tables.table(object_name).select()).all())


def test_plan_import_resolves_references_and_children(store: RecordStore) -> None:
    result = import_tree(store, SEED / "plan.json")
    assert result.counts == {"Account": 2, "Contact": 2, "Invoice__c": 1, "Invoice_Line__c": 1}
    with store.transaction() as txn:
        [invoice] = txn.retrieve("Invoice__c", [result.ids_by_ref["InvRef1"]], ["Account__c", "Contact__c"])
        [contact] = txn.retrieve("Contact", [result.ids_by_ref["ConRef1"]], ["AccountId"])
        [line] = txn.retrieve("Invoice_Line__c", [result.ids_by_ref["LineRef1"]], ["Invoice__c"])
    assert invoice is not None and invoice["Account__c"] == result.ids_by_ref["AccRef1"]
    assert invoice["Contact__c"] == result.ids_by_ref["ConRef2"]
    assert contact is not None and contact["AccountId"] == result.ids_by_ref["AccRef1"]
    assert line is not None and line["Invoice__c"] == result.ids_by_ref["InvRef1"]


def test_failed_import_saves_nothing(store: RecordStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"records": [
        {"attributes": {"type": "Account", "referenceId": "A"}, "Name": "fine"},
        {"attributes": {"type": "Contact", "referenceId": "C"}, "FirstName": "no last name"},
    ]}))
    with pytest.raises(DataImportError, match="C: REQUIRED_FIELD_MISSING: Required fields are missing: "
                                              r"\[LastName\]"):
        import_tree(store, bad)
    assert _count(store, "Account") == 0


def test_unknown_reference_is_an_error(store: RecordStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"records": [{"attributes": {"type": "Contact"}, "LastName": "x",
                                            "AccountId": "@Nope"}]}))
    with pytest.raises(DataImportError, match="unknown reference @Nope"):
        import_tree(store, bad)


def test_export_then_import_round_trip(store: RecordStore, tmp_path: Path, registry: SchemaRegistry) -> None:
    import_tree(store, SEED / "plan.json")
    exported = export_tree(store, ["Invoice_Line__c", "Invoice__c", "Contact", "Account"], tmp_path / "out")
    plan = json.loads(exported.plan.read_text())
    assert [entry["sobject"] for entry in plan] == ["Account", "Contact", "Invoice__c", "Invoice_Line__c"]
    assert exported.counts == {"Account": 2, "Contact": 2, "Invoice__c": 1, "Invoice_Line__c": 1}
    target = RecordStore("sqlite://", registry)
    result = import_tree(target, exported.plan)
    assert result.counts == exported.counts
    with target.transaction() as txn:
        table = txn.tables.table("Invoice__c")
        row = txn.connection.execute(table.select()).one()._mapping
    assert (row["title__c"], row["amount__c"]) == ("First", Decimal("12.50"))
    target.close()


def test_cli_import_and_export(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    imported = runner.invoke(data_app, ["import", str(SEED / "plan.json"), "--project", str(PROJECT), "--db", db])
    assert imported.exit_code == 0, imported.output
    assert "Invoice__c" in imported.output and "6" in imported.output
    exported = runner.invoke(data_app, ["export", "--project", str(PROJECT), "--db", db, "--object", "Account",
                                        "--output-dir", str(tmp_path / "dump")])
    assert exported.exit_code == 0, exported.output
    records = json.loads((tmp_path / "dump" / "Account.json").read_text())["records"]
    assert sorted(r["Name"] for r in records) == ["Acme", "Globex"]


def test_cli_import_failure_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"records": [{"attributes": {"type": "Contact"}}]}))
    outcome = CliRunner().invoke(data_app, ["import", str(bad), "--project", str(PROJECT), "--db",
                                            f"sqlite:///{tmp_path / 'x.db'}"])
    assert outcome.exit_code == 1
    assert "nothing was saved" in outcome.output
