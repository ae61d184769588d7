"""Every field type is written and read back as the exact Python type and value, on every store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowforce.records.transaction import Transaction

from .helpers import insert_one

BASE = {"Title__c": "T"}


@pytest.mark.parametrize(
    ("field", "given", "expected"),
    [
        ("Title__c", "Hello", "Hello"),
        ("Notes__c", "multi\nline", "multi\nline"),
        ("Body__c", "x" * 1000, "x" * 1000),
        ("Html_Body__c", "<b>hi</b>", "<b>hi</b>"),
        ("Quantity__c", 3, Decimal("3")),
        ("Rate__c", "1.23456", Decimal("1.2346")),
        ("Amount__c", 1234.5, Decimal("1234.50")),
        ("Amount__c", "99999999999999.99", Decimal("99999999999999.99")),
        ("Discount__c", Decimal("12.5"), Decimal("12.50")),
        ("Paid__c", True, True),
        ("Paid__c", "false", False),
        ("Sent_At__c", "2024-03-01T10:30:00.123+0000", dt.datetime(2024, 3, 1, 10, 30, 0, 123000, tzinfo=dt.UTC)),
        ("Sent_At__c", "2024-03-01T12:30:00+02:00", dt.datetime(2024, 3, 1, 10, 30, tzinfo=dt.UTC)),
        ("Due_Date__c", "2024-02-29", dt.date(2024, 2, 29)),
        ("Cutoff_Time__c", "17:45:00.000Z", dt.time(17, 45)),
        ("Billing_Email__c", "a@example.com", "a@example.com"),
        ("Billing_Phone__c", "+1 555 0100", "+1 555 0100"),
        ("Portal_Url__c", "https://example.com", "https://example.com"),
        ("Secret__c", "s3cret", "s3cret"),
        ("Status__c", "sent", "Sent"),
        ("Category__c", "Anything", "Anything"),
        ("Channels__c", ["Email", "Fax"], "Email;Fax"),
        ("Channels__c", "Post;Email;Post", "Post;Email"),
        ("Notes__c", "", None),
    ],
)
def test_value_round_trip(txn: Transaction, field: str, given: object, expected: object) -> None:
    record_id = insert_one(txn, "Invoice__c", {**BASE, field: given})
    [record] = txn.retrieve("Invoice__c", [record_id], [field])
    assert record is not None
    value = record[field]
    assert value == expected
    assert type(value) is type(expected)


def test_integer_and_reference_fields(txn: Transaction) -> None:
    account_id = insert_one(txn, "Account", {"Name": "Acme", "NumberOfEmployees": "250"})
    contact_id = insert_one(txn, "Contact", {"LastName": "Doe", "AccountId": account_id[:15]})
    [contact] = txn.retrieve("Contact", [contact_id], ["AccountId"])
    [account] = txn.retrieve("Account", [account_id], ["NumberOfEmployees"])
    assert contact is not None and contact["AccountId"] == account_id  # 15-char input stored as 18
    assert account is not None and account["NumberOfEmployees"] == 250


def test_system_fields_are_set_on_insert(txn: Transaction) -> None:
    record_id = insert_one(txn, "Account", {"Name": "Acme"})
    [record] = txn.retrieve("Account", [record_id])
    assert record is not None
    assert record["Id"] == record_id and record_id.startswith("001")
    assert record["OwnerId"] == txn.user_id == record["CreatedById"] == record["LastModifiedById"]
    assert record["IsDeleted"] is False
    assert record["CreatedDate"].tzinfo is dt.UTC
    assert record["CreatedDate"] == record["LastModifiedDate"] == record["SystemModstamp"]


def test_defaults_and_auto_numbers(txn: Transaction) -> None:
    first = insert_one(txn, "Invoice__c", dict(BASE))
    second = insert_one(txn, "Invoice__c", dict(BASE))
    records = txn.retrieve("Invoice__c", [first, second], ["Name", "Status__c", "Paid__c", "Approved__c"])
    assert [r["Name"] for r in records if r] == ["INV-0001", "INV-0002"]
    assert records[0] is not None
    assert (records[0]["Status__c"], records[0]["Paid__c"], records[0]["Approved__c"]) == ("Draft", False, True)


def test_standard_derived_fields(txn: Transaction) -> None:
    contact_id = insert_one(txn, "Contact", {"FirstName": "Ada", "LastName": "Lovelace"})
    opp_id = insert_one(txn, "Opportunity", {"Name": "Big", "StageName": "Closed Won", "CloseDate": "2024-01-31"})
    case_id = insert_one(txn, "Case", {"Subject": "Broken"})
    [contact] = txn.retrieve("Contact", [contact_id], ["Name"])
    [opp] = txn.retrieve("Opportunity", [opp_id], ["IsClosed", "IsWon", "Probability"])
    [case] = txn.retrieve("Case", [case_id], ["CaseNumber", "Status", "Priority", "IsClosed"])
    assert contact is not None and contact["Name"] == "Ada Lovelace"
    assert opp is not None and (opp["IsClosed"], opp["IsWon"], opp["Probability"]) == (True, True, Decimal("100"))
    assert case is not None and case["CaseNumber"] == "00000001"
    assert (case["Status"], case["Priority"], case["IsClosed"]) == ("New", "Medium", False)


def test_retrieve_returns_none_for_unknown_and_deleted(txn: Transaction) -> None:
    record_id = insert_one(txn, "Account", {"Name": "Gone"})
    txn.delete("Account", [record_id])
    assert txn.retrieve("Account", [record_id, "001000000000000AAA", "nonsense"]) == [None, None, None]


def test_numeric_columns_compare_numerically_in_sql(txn: Transaction) -> None:
    import sqlalchemy as sa

    for amount in ("9.99", "10.5", "100", "0.5"):
        insert_one(txn, "Invoice__c", {**BASE, "Amount__c": amount, "Discount__c": 0})
    column = txn.tables.column("Invoice__c", "Amount__c")
    table = txn.tables.table("Invoice__c")
    ordered = txn.connection.execute(sa.select(column).where(column > 9.995).order_by(column)).scalars().all()
    total = txn.connection.execute(sa.select(sa.func.sum(column))).scalar()
    assert ordered == [Decimal("10.50"), Decimal("100.00")]
    assert total == Decimal("120.99")
    assert table.name == "invoice__c"
