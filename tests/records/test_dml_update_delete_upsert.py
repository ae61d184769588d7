"""Update, upsert, delete (soft, cascading) and undelete."""

from __future__ import annotations

import datetime as dt

from flowforce.records.transaction import Transaction

from .helpers import insert_one


def test_update_changes_fields_and_audit_columns(txn: Transaction) -> None:
    record_id = insert_one(txn, "Contact", {"FirstName": "Ada", "LastName": "Byron"})
    [before] = txn.retrieve("Contact", [record_id])
    [result] = txn.update("Contact", [{"Id": record_id[:15], "LastName": "Lovelace"}])
    assert result.success and result.id == record_id
    [after] = txn.retrieve("Contact", [record_id])
    assert before is not None and after is not None
    assert (after["LastName"], after["Name"], after["FirstName"]) == ("Lovelace", "Ada Lovelace", "Ada")
    assert after["CreatedDate"] == before["CreatedDate"]
    assert after["LastModifiedDate"] >= before["LastModifiedDate"]


def test_update_setting_a_required_field_to_null_fails(txn: Transaction) -> None:
    record_id = insert_one(txn, "Contact", {"LastName": "x"})
    [result] = txn.update("Contact", [{"Id": record_id, "LastName": None}])
    assert result.errors[0].status_code == "REQUIRED_FIELD_MISSING"


def test_update_of_unknown_and_malformed_ids(txn: Transaction) -> None:
    unknown, malformed, missing = txn.update(
        "Account", [{"Id": "001000000000000AAA", "Name": "x"}, {"Id": "bad", "Name": "x"}, {"Name": "x"}],
        all_or_none=False)
    assert unknown.errors[0].status_code == "INVALID_CROSS_REFERENCE_KEY"
    assert (malformed.errors[0].status_code, malformed.errors[0].message, malformed.errors[0].fields) == (
        "MALFORMED_ID", "Account ID: id value of incorrect type: bad", ["Id"])
    assert missing.errors[0].status_code == "MISSING_ARGUMENT"


def test_upsert_inserts_then_updates_by_external_id(txn: Transaction) -> None:
    [created] = txn.upsert("Invoice__c", "External_Key__c", [{"External_Key__c": "E1", "Title__c": "one"}])
    [updated] = txn.upsert("Invoice__c", "external_key__c", [{"External_Key__c": "e1", "Title__c": "two"}])
    assert created.success and created.created
    assert updated.success and not updated.created and updated.id == created.id
    [record] = txn.retrieve("Invoice__c", [created.id], ["Title__c"])  # type: ignore[list-item]
    assert record is not None and record["Title__c"] == "two"


def test_upsert_with_several_matches_fails(txn: Transaction) -> None:
    for title in ("a", "b"):
        insert_one(txn, "Invoice__c", {"Title__c": title, "Legacy_Code__c": "L"})
    [result] = txn.upsert("Invoice__c", "Legacy_Code__c", [{"Legacy_Code__c": "L", "Title__c": "c"}])
    assert result.errors[0].status_code == "DUPLICATE_EXTERNAL_ID"


def test_delete_is_soft_and_cascades_master_detail(txn: Transaction) -> None:
    invoice = insert_one(txn, "Invoice__c", {"Title__c": "t"})
    line = insert_one(txn, "Invoice_Line__c", {"Name": "l", "Invoice__c": invoice})
    [result] = txn.delete(None, [invoice])
    assert result.success and result.id == invoice
    assert txn.retrieve("Invoice_Line__c", [line]) == [None]
    table = txn.tables.table("Invoice_Line__c")
    assert txn.connection.execute(table.select().where(table.c.id == line)).one()._mapping["isdeleted"] is True


def test_delete_of_malformed_and_unknown_ids(txn: Transaction) -> None:
    malformed, unknown = txn.delete(None, ["xyz", "001000000000000AAA"], all_or_none=False)
    assert malformed.errors[0].status_code == "MALFORMED_ID"
    assert unknown.errors[0].status_code == "INVALID_CROSS_REFERENCE_KEY"


def test_undelete_restores(txn: Transaction) -> None:
    record_id = insert_one(txn, "Account", {"Name": "back"})
    txn.delete("Account", [record_id])
    [result] = txn.undelete("Account", [record_id])
    assert result.success
    assert txn.retrieve("Account", [record_id])[0] is not None
    [again] = txn.undelete("Account", [record_id])
    assert again.errors[0].status_code == "UNDELETE_FAILED"


def test_case_closed_date_follows_status(txn: Transaction) -> None:
    case_id = insert_one(txn, "Case", {"Subject": "s"})
    txn.update("Case", [{"Id": case_id, "Status": "Closed"}])
    [closed] = txn.retrieve("Case", [case_id], ["IsClosed", "ClosedDate"])
    assert closed is not None and closed["IsClosed"] is True
    assert isinstance(closed["ClosedDate"], dt.datetime)
