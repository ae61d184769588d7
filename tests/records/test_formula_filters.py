"""Formula fields in SOQL WHERE / ORDER BY / GROUP BY (soql/formula_values.py), on SQLite and PostgreSQL: the
database's answer over the formula's values agrees with Python's over the values the formula computes on read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowforce.records.store import RecordStore
from flowforce.soql.errors import InvalidFieldError
from flowforce.soql.execution import run_soql

from .conftest import requires_formula
from .helpers import insert_one

pytestmark = requires_formula

amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2))  # a rule refuses negatives
quantities = st.one_of(st.none(), st.integers(min_value=-50, max_value=50))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(amounts, quantities), max_size=12),
       threshold=st.decimals(min_value=-5000, max_value=5000, places=2))
def test_where_and_order_by_a_formula_agree_with_its_computed_values(store: RecordStore, rows: list[Any],
                                                                      threshold: Decimal) -> None:
    tx = store.transaction()
    try:
        for amount, quantity in rows:
            insert_one(tx, "Invoice__c", {"Title__c": "t", "Amount__c": amount, "Quantity__c": quantity})
        computed = {r.id: r["Total__c"] for r in run_soql("SELECT Id, Total__c FROM Invoice__c", tx).records}
        filtered = run_soql(f"SELECT Id FROM Invoice__c WHERE Total__c > {threshold}", tx).records
        assert {r.id for r in filtered} == {i for i, v in computed.items() if v is not None and v > threshold}
        ordered = run_soql("SELECT Id, Total__c FROM Invoice__c ORDER BY Total__c DESC NULLS LAST, Id", tx)
        totals = [r["Total__c"] for r in ordered.records]
        assert totals == sorted(computed.values(), key=lambda v: (v is None, -(v or 0)))
    finally:
        tx.rollback()


def test_text_and_cross_object_formulas_filter_like_text_fields(store: RecordStore) -> None:
    with store.transaction() as tx:
        acme = insert_one(tx, "Account", {"Name": "Acme"})
        other = insert_one(tx, "Account", {"Name": "Globex"})
        first = insert_one(tx, "Invoice__c", {"Title__c": "a", "Account__c": acme})
        insert_one(tx, "Invoice__c", {"Title__c": "b", "Account__c": other})
        insert_one(tx, "Invoice__c", {"Title__c": "c"})
        result = run_soql("SELECT Id, Account_Name__c FROM Invoice__c WHERE Account_Name__c = 'ACME'", tx)
        assert [(r.id, r["Account_Name__c"]) for r in result.records] == [(first, "Acme")]
        grouped = run_soql("SELECT Account_Name__c n, COUNT(Id) c FROM Invoice__c GROUP BY Account_Name__c "
                           "ORDER BY Account_Name__c NULLS FIRST", tx)
        assert [(r["n"], r["c"]) for r in grouped.records] == [(None, 1), ("Acme", 1), ("Globex", 1)]
        assert run_soql("SELECT COUNT() FROM Invoice__c WHERE Account_Name__c LIKE 'G%'", tx).total_size == 1


def test_a_parent_formula_in_a_filter_is_a_clear_error(store: RecordStore) -> None:
    with store.transaction() as tx, pytest.raises(InvalidFieldError) as raised:
        run_soql("SELECT Id FROM Invoice_Line__c WHERE Invoice__r.Total__c > 3", tx)
    assert raised.value.to_dict()["errorCode"] == "INVALID_FIELD"
    assert "formula field" in raised.value.to_dict()["message"]
