"""Every DML error code, with Salesforce's message and field list."""

from __future__ import annotations

import pytest

from flowforce.records.errors import DmlError, InvalidFieldError, InvalidTypeError
from flowforce.records.transaction import Transaction

from .conftest import requires_formula
from .helpers import insert_one


def only_error(results: list) -> DmlError:
    [result] = results
    assert not result.success and result.id is None
    [error] = result.errors
    return error


def test_required_fields_missing(txn: Transaction) -> None:
    error = only_error(txn.insert("Lead", [{"FirstName": "x"}]))
    assert (error.status_code, error.message, error.fields) == (
        "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName, Company]", ["LastName", "Company"])


def test_string_too_long(txn: Transaction) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "x" * 21}]))
    assert (error.status_code, error.message, error.fields) == (
        "STRING_TOO_LONG", f"Title: data value too large: {'x' * 21} (max length=20)", ["Title__c"])


def test_restricted_picklist(txn: Transaction) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "t", "Status__c": "Foo"}]))
    assert (error.status_code, error.message, error.fields) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for restricted picklist field: Foo", ["Status__c"])


def test_restricted_multipicklist_names_the_bad_value(txn: Transaction) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "t", "Channels__c": "Email;Pigeon"}]))
    assert (error.status_code, error.message) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for restricted picklist field: Pigeon")


def test_duplicate_value_against_existing_record(txn: Transaction) -> None:
    existing = insert_one(txn, "Invoice__c", {"Title__c": "a", "Billing_Email__c": "a@x.com"})
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "b", "Billing_Email__c": "A@X.com"}]))
    assert (error.status_code, error.message, error.fields) == (
        "DUPLICATE_VALUE",
        f"duplicate value found: Billing_Email__c duplicates value on record with id: {existing}",
        ["Billing_Email__c"],
    )


def test_duplicate_value_within_one_call(txn: Transaction) -> None:
    results = txn.insert("Invoice__c", [{"Title__c": "a", "External_Key__c": "K1"},
                                        {"Title__c": "b", "External_Key__c": "k1"}], all_or_none=False)
    assert results[0].success
    assert results[1].errors[0].status_code == "DUPLICATE_VALUE"


def test_deleted_records_do_not_hold_unique_values(txn: Transaction) -> None:
    gone = insert_one(txn, "Invoice__c", {"Title__c": "a", "External_Key__c": "K2"})
    txn.delete(None, [gone])
    insert_one(txn, "Invoice__c", {"Title__c": "b", "External_Key__c": "K2"})


def test_invalid_cross_reference_key(txn: Transaction) -> None:
    error = only_error(txn.insert("Contact", [{"LastName": "x", "AccountId": "001000000000000AAA"}]))
    assert (error.status_code, error.message, error.fields) == (
        "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["AccountId"])


def test_reference_of_the_wrong_type_is_malformed(txn: Transaction) -> None:
    contact = insert_one(txn, "Contact", {"LastName": "x"})
    error = only_error(txn.insert("Contact", [{"LastName": "y", "AccountId": contact}]))
    assert (error.status_code, error.message, error.fields) == (
        "MALFORMED_ID", f"Account ID: id value of incorrect type: {contact}", ["AccountId"])


def test_malformed_reference(txn: Transaction) -> None:
    error = only_error(txn.insert("Contact", [{"LastName": "y", "AccountId": "abc"}]))
    assert (error.status_code, error.message, error.fields) == (
        "MALFORMED_ID", "Account ID: id value of incorrect type: abc", ["AccountId"])


def test_unknown_field_on_write(txn: Transaction) -> None:
    error = only_error(txn.insert("Account", [{"Name": "x", "Foo__c": 1}]))
    assert (error.status_code, error.message, error.fields) == (
        "INVALID_FIELD", "No such column 'Foo__c' on sobject of type Account", ["Foo__c"])


def test_unknown_object(txn: Transaction) -> None:
    with pytest.raises(InvalidTypeError):
        txn.insert("Foo__c", [{}])
    with pytest.raises(InvalidFieldError):
        txn.retrieve("Account", [], ["Nope"])


def test_system_and_formula_fields_are_not_writable(txn: Transaction) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "t", "CreatedDate": "2020-01-01T00:00:00Z",
                                                  "Total__c": 5}]))
    assert error.status_code == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert error.fields == ["CreatedDate", "Total__c"]
    assert error.message.startswith("Unable to create/update fields: CreatedDate, Total__c.")


def test_read_only_fields_can_be_ignored_for_queried_records(txn: Transaction) -> None:
    [result] = txn.insert("Invoice__c", [{"Title__c": "t", "CreatedDate": "2020-01-01T00:00:00Z"}],
                          ignore_readonly=True)
    assert result.success


def test_insert_with_an_id_is_refused(txn: Transaction) -> None:
    error = only_error(txn.insert("Account", [{"Id": "001000000000000AAA", "Name": "x"}]))
    assert (error.status_code, error.fields) == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["Id"])


@pytest.mark.parametrize(("field", "value"), [("Amount__c", "lots"), ("Paid__c", "maybe"),
                                              ("Due_Date__c", "31/12/2024"), ("Quantity__c", True)])
def test_wrong_value_type_names_the_field(txn: Transaction, field: str, value: object) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "t", field: value}]))
    assert error.status_code == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    assert error.fields == [field]
    assert error.message.endswith(f"value not of required type: {value}")


def test_invalid_email(txn: Transaction) -> None:
    error = only_error(txn.insert("Contact", [{"LastName": "x", "Email": "Not a real email address"}]))
    assert (error.status_code, error.message, error.fields) == (
        "INVALID_EMAIL_ADDRESS", "Email: invalid email address: Not a real email address", ["Email"])


def test_number_outside_range(txn: Transaction) -> None:
    error = only_error(txn.insert("Account", [{"Name": "x", "Rating__c": 1000}]))
    assert (error.status_code, error.fields) == ("NUMBER_OUTSIDE_VALID_RANGE", ["Rating__c"])


def test_entity_is_deleted(txn: Transaction) -> None:
    record_id = insert_one(txn, "Account", {"Name": "x"})
    assert txn.delete("Account", [record_id])[0].success
    assert only_error(txn.delete("Account", [record_id])) == DmlError("ENTITY_IS_DELETED", "entity is deleted", [])
    assert only_error(txn.update("Account", [{"Id": record_id, "Name": "y"}])).status_code == "ENTITY_IS_DELETED"


@requires_formula
def test_validation_rule(txn: Transaction) -> None:
    error = only_error(txn.insert("Invoice__c", [{"Title__c": "t", "Amount__c": -1}]))
    assert error == DmlError("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Amount cannot be negative.", ["Amount__c"])


def test_all_or_none_marks_the_innocent_records(txn: Transaction) -> None:
    results = txn.insert("Account", [{"Name": "ok"}, {}], all_or_none=True)
    assert [r.success for r in results] == [False, False]
    assert results[0].errors[0].status_code == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1].errors[0].status_code == "REQUIRED_FIELD_MISSING"
    assert txn.connection.execute(txn.tables.table("Account").select()).first() is None


def test_partial_success_writes_the_valid_records(txn: Transaction) -> None:
    results = txn.insert("Account", [{"Name": "ok"}, {}], all_or_none=False)
    assert [r.success for r in results] == [True, False]
    assert txn.retrieve("Account", [results[0].id])[0] is not None  # type: ignore[list-item]
