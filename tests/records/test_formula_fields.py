"""Formula fields, formula default values and validation-rule functions, evaluated with flowforce.formula."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flowforce.records.formula_fields import RecordFormulaEnv, evaluate_formula_fields
from flowforce.records.record import Record
from flowforce.records.schema import SchemaRegistry
from flowforce.records.transaction import Transaction

from .conftest import requires_formula
from .helpers import insert_one

pytestmark = requires_formula


def test_formula_field_is_computed_on_read(txn: Transaction) -> None:
    record_id = insert_one(txn, "Invoice__c", {"Title__c": "t", "Amount__c": "12.5", "Quantity__c": 4})
    [record] = txn.retrieve("Invoice__c", [record_id], ["Total__c"])
    assert record is not None and record["Total__c"] == Decimal("50.00")


def test_cross_object_formula_reads_the_parent(txn: Transaction) -> None:
    account = insert_one(txn, "Account", {"Name": "Acme"})
    record_id = insert_one(txn, "Invoice__c", {"Title__c": "t", "Account__c": account})
    [record] = txn.retrieve("Invoice__c", [record_id], ["Account_Name__c"])
    assert record is not None and record["Account_Name__c"] == "Acme"


def test_formula_default_value(txn: Transaction) -> None:
    record_id = insert_one(txn, "Invoice__c", {"Title__c": "t"})
    [record] = txn.retrieve("Invoice__c", [record_id], ["Due_Date__c"])
    assert record is not None
    assert record["Due_Date__c"] == txn.now().date() + dt.timedelta(days=30)


def test_evaluate_formula_fields_helper_for_loaded_rows(registry: SchemaRegistry) -> None:
    record = Record("Invoice__c", {"Amount__c": Decimal("2.00"), "Quantity__c": Decimal("3")})
    evaluate_formula_fields(record, registry.get("Invoice__c"), None)
    assert record["Total__c"] == Decimal("6.00")


def test_validation_rule_only_fires_on_true(txn: Transaction) -> None:
    record_id = insert_one(txn, "Invoice__c", {"Title__c": "t", "Amount__c": 0})
    [ok] = txn.update("Invoice__c", [{"Id": record_id, "Amount__c": 5}])
    [bad] = txn.update("Invoice__c", [{"Id": record_id, "Amount__c": -5}])
    assert ok.success and bad.errors[0].status_code == "FIELD_CUSTOM_VALIDATION_EXCEPTION"


def test_env_answers_isnew_and_priorvalue(registry: SchemaRegistry) -> None:
    obj = registry.get("Invoice__c")
    prior = Record("Invoice__c", {"Title__c": "old"})
    env = RecordFormulaEnv(Record("Invoice__c", {"Title__c": "new"}), obj, prior=prior)
    assert not env.is_new() and env.prior("Title__c") == "old" and env.is_changed("Title__c")
    assert RecordFormulaEnv(Record("Invoice__c", {}), obj).is_new()
