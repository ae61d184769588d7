"""Opening a store on an existing database applies new metadata and refuses incompatible changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowforce.records.errors import SchemaMigrationError
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

from .conftest import PROJECT
from .helpers import insert_one

FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>{name}</fullName><label>{name}</label>{body}
</CustomField>
"""


def _copy_project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def _add_field(project: Path, obj: str, name: str, body: str) -> None:
    path = project / "force-app/main/default/objects" / obj / "fields" / f"{name}.field-meta.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FIELD.format(name=name, body=body))


def test_new_field_and_object_are_added_and_data_kept(db_url: str, tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    with RecordStore(db_url, SchemaRegistry.load(project)) as first, first.transaction() as txn:
        invoice = insert_one(txn, "Invoice__c", {"Title__c": "kept"})
    _add_field(project, "Invoice__c", "Note2__c", "<type>Text</type><length>10</length>")
    _add_field(project, "Invoice__c", "Flag__c", "<type>Checkbox</type><defaultValue>false</defaultValue>")
    _add_field(project, "Gadget__c", "Size__c", "<type>Number</type><precision>4</precision><scale>1</scale>")
    with RecordStore(db_url, SchemaRegistry.load(project)) as second, second.transaction() as txn:
        [record] = txn.retrieve("Invoice__c", [invoice], ["Title__c", "Note2__c", "Flag__c"])
        assert record is not None
        assert (record["Title__c"], record["Note2__c"], record["Flag__c"]) == ("kept", None, False)
        txn.update("Invoice__c", [{"Id": invoice, "Note2__c": "new"}])
        insert_one(txn, "Gadget__c", {"Name": "g", "Size__c": "2.5"})


def test_type_change_is_refused_and_database_untouched(db_url: str, tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    with RecordStore(db_url, SchemaRegistry.load(project)) as first, first.transaction() as txn:
        insert_one(txn, "Invoice__c", {"Title__c": "t", "Quantity__c": 3})
    _add_field(project, "Invoice__c", "Quantity__c", "<type>Text</type><length>10</length>")
    with pytest.raises(SchemaMigrationError, match=r"Invoice__c\.Quantity__c: stored as decimal\(0\), metadata "
                                                     r"now requires text"):
        RecordStore(db_url, SchemaRegistry.load(project))
    with RecordStore(db_url, SchemaRegistry.load(PROJECT)) as again, again.transaction() as txn:
        table = txn.tables.table("Invoice__c")
        assert txn.connection.execute(table.select()).one()._mapping["quantity__c"] == 3


def test_compatible_type_change_is_accepted(db_url: str, tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    RecordStore(db_url, SchemaRegistry.load(project)).close()
    _add_field(project, "Invoice__c", "Title__c", "<type>Text</type><length>200</length>")
    with RecordStore(db_url, SchemaRegistry.load(project)) as store, store.transaction() as txn:
        insert_one(txn, "Invoice__c", {"Title__c": "x" * 150})
